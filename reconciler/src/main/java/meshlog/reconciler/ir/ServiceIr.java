package meshlog.reconciler.ir;

import java.util.List;

/**
 * One port of one service host, with the workloads behind it.
 *
 * @param origin the config object that declared it, e.g. {@code ServiceEntry default/reviews}
 * @param workloads the workloads serving this port, their port already resolved for it; with a DNS
 *                  {@code source}, addresses may be host names
 * @param source where a sidecar finds the endpoints (from the ServiceEntry's resolution)
 * @param addresses the service's virtual IPs (ServiceEntry {@code addresses}, IP literals only), in order
 * @param exportTo the namespaces whose proxies see it, as written (ServiceEntry {@code exportTo}, a Service's
 *                 {@code networking.istio.io/exportTo}); empty: the mesh default
 */
public record ServiceIr(String host, int port, String portName, String protocol, String origin,
                        List<WorkloadIr> workloads, EndpointSource source, List<String> addresses,
                        List<String> exportTo) {
    public ServiceIr {
        workloads = List.copyOf(workloads);
        source = source == null ? EndpointSource.EDS : source;
        addresses = List.copyOf(addresses);
        exportTo = List.copyOf(exportTo);
    }

    /** A service exported as the mesh default says. */
    public ServiceIr(String host, int port, String portName, String protocol, String origin,
                     List<WorkloadIr> workloads, EndpointSource source, List<String> addresses) {
        this(host, port, portName, protocol, origin, workloads, source, addresses, List.of());
    }

    /** A service with endpoints over EDS and no virtual IP. */
    public ServiceIr(String host, int port, String portName, String protocol, String origin,
                     List<WorkloadIr> workloads) {
        this(host, port, portName, protocol, origin, workloads, EndpointSource.EDS, List.of());
    }

    /** {@code <host>:<port>}: the name clients dial ({@code xds:///<host>:<port>}). */
    public String name() {
        return host + ":" + port;
    }

    /** The first virtual IP, which names the service's TCP listener as in Istio; empty when none. */
    public String vip() {
        return addresses.isEmpty() ? "" : addresses.get(0);
    }

    public ServiceIr withWorkloads(List<WorkloadIr> w, EndpointSource s) {
        return new ServiceIr(host, port, portName, protocol, origin, w, s, addresses, exportTo);
    }
}
