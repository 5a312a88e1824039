package meshlog.reconciler.ir;

/**
 * One address traffic goes to; {@code weight} is at least 1.
 *
 * @param istioMtls the workload runs a proxy (label {@code security.istio.io/tlsMode: istio}): Envoy's endpoint
 *                  metadata {@code tlsMode: istio}, which auto mTLS's transport socket match selects
 */
public record EndpointIr(String address, int port, int weight, boolean istioMtls) {

    public EndpointIr(String address, int port, int weight) {
        this(address, port, weight, false);
    }
}
