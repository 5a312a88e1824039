package meshlog.reconciler.ir;

import java.util.Map;

/**
 * One workload serving a service port.
 *
 * @param port the port the workload listens on for this service port
 * @param labels used to select subsets
 * @param weight relative load-balancing weight, at least 1
 * @param identity its SPIFFE identity ({@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>}); empty when no service
 *                 account is known
 */
public record WorkloadIr(String address, int port, Map<String, String> labels, LocalityIr locality, int weight,
                         String identity) {

    /** The label Istio's injector puts on a workload that runs a sidecar ({@code istio}), and its endpoints carry. */
    public static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";

    public WorkloadIr {
        labels = Map.copyOf(labels);
        identity = identity == null ? "" : identity;
    }

    public WorkloadIr(String address, int port, Map<String, String> labels, LocalityIr locality, int weight) {
        this(address, port, labels, locality, weight, "");
    }

    /** Whether the workload runs a proxy that accepts Istio mTLS (its tlsMode label is {@code istio}). */
    public boolean istioMtls() {
        return "istio".equals(labels.get(TLS_MODE_LABEL));
    }
}
