package meshlog.reconciler.ir;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one sidecar's inbound side accepts, resolved from the PeerAuthentications that apply to its workload (mesh,
 * namespace, workload, then the workload policy's {@code portLevelMtls}), as Istio resolves them.
 *
 * @param mode for every port that {@code ports} does not name
 * @param ports the mode of single workload ports, sorted by port
 */
public record InboundTlsIr(Mode mode, Map<Integer, Mode> ports) {

    /** Istio's effective mTLS modes (UNSET is resolved away: with nothing above it, it is PERMISSIVE). */
    public enum Mode {
        /** Plain text only. */
        DISABLE,
        /** Mutual TLS and plain text on the same port, told apart by the TLS inspector. */
        PERMISSIVE,
        /** Mutual TLS only: a plain-text connection matches no filter chain and is closed. */
        STRICT
    }

    /** Istio's default with no PeerAuthentication anywhere. */
    public static final InboundTlsIr PERMISSIVE = new InboundTlsIr(Mode.PERMISSIVE, Map.of());

    public InboundTlsIr {
        ports = java.util.Collections.unmodifiableMap(new TreeMap<>(ports));
    }

    /** The mode of workload port {@code port}. */
    public Mode modeFor(int port) {
        return ports.getOrDefault(port, mode);
    }
}
