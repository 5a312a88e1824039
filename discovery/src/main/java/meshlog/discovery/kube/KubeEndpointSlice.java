package meshlog.discovery.kube;

import java.util.List;

/**
 * A {@code discovery.k8s.io/v1} EndpointSlice.
 *
 * @param serviceName the {@code kubernetes.io/service-name} label: the service it belongs to, or empty
 * @param addressType IPv4, IPv6 or FQDN
 */
public record KubeEndpointSlice(String namespace, String name, String serviceName, String addressType,
                                List<SlicePort> ports, List<SliceEndpoint> endpoints) {
    public KubeEndpointSlice {
        serviceName = serviceName == null ? "" : serviceName;
        addressType = addressType == null ? "" : addressType;
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    /** One {@code ports[]} entry: the name of the service port it serves and the resolved target port. */
    public record SlicePort(String name, Integer port, String protocol) {
        public SlicePort {
            name = name == null ? "" : name;
            protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
        }
    }

    /**
     * One {@code endpoints[]} entry. The conditions are as the API gives them, null when unset (the API's meaning
     * of unset is applied by discovery: ready and serving unknown = true, terminating unknown = false).
     *
     * @param podName {@code targetRef.name} when {@code targetRef.kind} is Pod, else empty
     */
    public record SliceEndpoint(List<String> addresses, Boolean ready, Boolean serving, Boolean terminating,
                                String nodeName, String zone, String podName) {
        public SliceEndpoint {
            addresses = List.copyOf(addresses);
            nodeName = nodeName == null ? "" : nodeName;
            zone = zone == null ? "" : zone;
            podName = podName == null ? "" : podName;
        }
    }
}
