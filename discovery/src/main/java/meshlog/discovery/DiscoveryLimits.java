package meshlog.discovery;

/**
 * Bounds on what one cluster's discovery publishes, so that no cluster can make a record or the publisher's memory
 * grow without limit. What a bound leaves out is counted in the record ({@code endpointsLeftOut},
 * {@code workloadsLeftOut}) and logged.
 *
 * @param maxServices             services per cluster (beyond it, the services last in key order are left out)
 * @param maxEndpointsPerService  endpoints per service record; 2,000 endpoints with labels stay under Kafka's 1 MiB
 * @param maxPortsPerService      ports per service (Istio's ServiceEntry allows 256)
 * @param maxLabels               labels per endpoint or workload (Kubernetes bounds their sizes)
 * @param maxWorkloadsPerNamespace distinct workloads per namespace record
 */
public record DiscoveryLimits(int maxServices, int maxEndpointsPerService, int maxPortsPerService, int maxLabels,
                              int maxWorkloadsPerNamespace) {

    public static final DiscoveryLimits DEFAULTS = new DiscoveryLimits(20_000, 2_000, 256, 64, 2_000);
}
