package meshlog.reconciler.ir;

/**
 * Where an Envoy sidecar's cluster finds its endpoints, from the ServiceEntry's resolution, as Istio maps it.
 *
 * <ul>
 *   <li>{@link #EDS}: resolution STATIC; the endpoints are served over EDS.</li>
 *   <li>{@link #STRICT_DNS}: resolution DNS; Envoy resolves every endpoint name and uses every address.</li>
 *   <li>{@link #LOGICAL_DNS}: resolution DNS_ROUND_ROBIN; Envoy resolves one name and connects to the first
 *       address of each answer.</li>
 *   <li>{@link #ORIGINAL_DST}: resolution NONE; Envoy connects to where the connection was going.</li>
 * </ul>
 */
public enum EndpointSource {
    EDS, STRICT_DNS, LOGICAL_DNS, ORIGINAL_DST;

    /** Whether Envoy resolves the endpoints' names itself (the endpoints are inline in the cluster). */
    public boolean dns() {
        return this == STRICT_DNS || this == LOGICAL_DNS;
    }
}
