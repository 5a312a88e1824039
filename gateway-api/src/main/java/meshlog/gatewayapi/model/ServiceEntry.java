package meshlog.gatewayapi.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio {@code ServiceEntry}: adds a service, its ports and (for STATIC resolution) its endpoints to the mesh.
 *
 * @param workloadSelector null when not written ({@code workloadSelector: {}} is an empty selector, not null)
 */
public record ServiceEntry(ObjectMeta metadata, List<String> hosts, List<String> addresses, List<Port> ports,
                           Location location, Resolution resolution, List<WorkloadEndpoint> endpoints,
                           List<String> exportTo, List<String> subjectAltNames, WorkloadSelector workloadSelector)
        implements MeshResource {

    public enum Location { MESH_EXTERNAL, MESH_INTERNAL }

    public enum Resolution { NONE, STATIC, DNS, DNS_ROUND_ROBIN, DYNAMIC_DNS }

    /**
     * {@code protocol} is upper-case as Istio documents it (HTTP, HTTP2, GRPC, TCP, ...), empty when not written
     * (Istio then sniffs the protocol); {@code targetPort} is 0 when not written.
     */
    public record Port(int number, String protocol, String name, int targetPort) {
    }

    /**
     * One endpoint: Istio's WorkloadEntry, inline in a ServiceEntry or as its own object. {@code ports} maps a
     * service port name to the port the workload listens on; a missing name means the service port's targetPort,
     * else its number. {@code weight} is 0 when not written. Strings are empty when not written.
     */
    public record WorkloadEndpoint(String address, Map<String, Integer> ports, Map<String, String> labels,
                                   String network, String locality, int weight, String serviceAccount) {
        public WorkloadEndpoint {
            address = address == null ? "" : address;
            ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports)); // document order, for messages
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
            network = network == null ? "" : network;
            locality = locality == null ? "" : locality;
            serviceAccount = serviceAccount == null ? "" : serviceAccount;
        }

        /** An endpoint without a service account. */
        public WorkloadEndpoint(String address, Map<String, Integer> ports, Map<String, String> labels,
                                String network, String locality, int weight) {
            this(address, ports, labels, network, locality, weight, "");
        }
    }

    /** Selects the Pods and WorkloadEntries (in the entry's namespace) that back the service. */
    public record WorkloadSelector(Map<String, String> labels) {
        public WorkloadSelector {
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    public ServiceEntry {
        hosts = List.copyOf(hosts);
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
        exportTo = List.copyOf(exportTo);
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    /** An entry without exportTo, subjectAltNames or a workload selector. */
    public ServiceEntry(ObjectMeta metadata, List<String> hosts, List<String> addresses, List<Port> ports,
                        Location location, Resolution resolution, List<WorkloadEndpoint> endpoints) {
        this(metadata, hosts, addresses, ports, location, resolution, endpoints, List.of(), List.of(), null);
    }

    @Override
    public String kind() {
        return "ServiceEntry";
    }
}
