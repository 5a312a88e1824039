package meshlog.configstore.endpoints;

import java.util.Map;

/**
 * One endpoint of a service.
 *
 * @param ports          service port name → the port on this endpoint (the resolved target port)
 * @param labels         the pod's labels (empty for an endpoint without a known pod)
 * @param serviceAccount the pod's service account, empty without a pod
 * @param pod            the pod's name, empty without one
 * @param network        the pod's {@code topology.istio.io/network} label, else its namespace's, else empty
 */
public record ServiceEndpoint(String address, Map<String, Integer> ports, Map<String, String> labels,
                              Locality locality, Health health, String serviceAccount, String pod, String node,
                              String network) {
    public ServiceEndpoint {
        ports = Map.copyOf(ports);
        labels = Map.copyOf(labels);
    }
}
