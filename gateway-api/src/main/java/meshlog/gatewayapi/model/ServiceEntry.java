package meshlog.gatewayapi.model;

import java.util.List;
import java.util.Map;

/** Istio {@code ServiceEntry}: adds a service, its ports and (for STATIC resolution) its endpoints to the mesh. */
public record ServiceEntry(ObjectMeta metadata, List<String> hosts, List<String> addresses, List<Port> ports,
                           Location location, Resolution resolution, List<WorkloadEndpoint> endpoints)
        implements MeshResource {

    public enum Location { MESH_EXTERNAL, MESH_INTERNAL }

    public enum Resolution { NONE, STATIC, DNS, DNS_ROUND_ROBIN, DYNAMIC_DNS }

    /** {@code protocol} is upper-case as Istio documents it (HTTP, HTTP2, GRPC, TCP, ...). */
    public record Port(int number, String protocol, String name, int targetPort) {
    }

    /**
     * One endpoint (Istio's inline WorkloadEntry). {@code ports} maps a service port name to the port the workload
     * listens on; a missing name means the service port's targetPort, else its number.
     */
    public record WorkloadEndpoint(String address, Map<String, Integer> ports, Map<String, String> labels,
                                   String network, String locality, int weight) {
        public WorkloadEndpoint {
            ports = Map.copyOf(ports);
            labels = Map.copyOf(labels);
            network = network == null ? "" : network;
            locality = locality == null ? "" : locality;
        }
    }

    public ServiceEntry {
        hosts = List.copyOf(hosts);
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    @Override
    public String kind() {
        return "ServiceEntry";
    }
}
