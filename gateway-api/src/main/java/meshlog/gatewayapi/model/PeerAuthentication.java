package meshlog.gatewayapi.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio {@code PeerAuthentication}: whether workloads accept plain text or require mutual TLS, for all their
 * ports ({@code mtls.mode}) or per port ({@code portLevelMtls}).
 *
 * @param selector null when not given (the policy is namespace-wide, or mesh-wide in the root namespace)
 * @param mode {@link MtlsMode#UNSET} when not given: inherited from the parent policy, PERMISSIVE at the top
 * @param portLevelMtls mode per workload port number, sorted by port; only valid port numbers (1..65535) are kept
 */
public record PeerAuthentication(ObjectMeta metadata, PolicyTarget.WorkloadSelector selector, MtlsMode mode,
                                 Map<Integer, MtlsMode> portLevelMtls) implements MeshResource {

    /** Istio {@code PeerAuthentication.MutualTLS.Mode}. */
    public enum MtlsMode { UNSET, DISABLE, PERMISSIVE, STRICT }

    public PeerAuthentication {
        mode = mode == null ? MtlsMode.UNSET : mode;
        portLevelMtls = Collections.unmodifiableMap(new TreeMap<>(portLevelMtls));
    }

    @Override
    public String kind() {
        return "PeerAuthentication";
    }
}
