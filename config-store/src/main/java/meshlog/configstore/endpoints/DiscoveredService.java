package meshlog.configstore.endpoints;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One Kubernetes Service of one cluster as the mesh sees it: the value of its record in {@code meshlog.endpoints}
 * (key {@code cluster/namespace/name}). Field order is the JSON's.
 *
 * @param hostname         {@code <name>.<namespace>.svc.<cluster domain>}
 * @param kind             ClusterIP (NodePort and LoadBalancer services too: they have a VIP), Headless or
 *                         ExternalName
 * @param externalName     the DNS name an ExternalName service points to, else empty
 * @param vips             the ClusterIPs, none for Headless and ExternalName
 * @param endpoints        sorted by address, at most the limit's count
 * @param endpointsLeftOut how many endpoints the limit left out (0 normally)
 * @param exportTo         the Service's {@code networking.istio.io/exportTo} annotation, split at commas; empty (and
 *                         left out of the JSON, so records of Services without it keep their bytes): the mesh default
 */
public record DiscoveredService(int schemaVersion, String cluster, String namespace, String name, String hostname,
                                String kind, String externalName, List<String> vips, List<ServicePort> ports,
                                List<ServiceEndpoint> endpoints, int endpointsLeftOut,
                                @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> exportTo) {

    public static final int SCHEMA_VERSION = 1;

    public DiscoveredService {
        vips = List.copyOf(vips);
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
        exportTo = exportTo == null ? List.of() : List.copyOf(exportTo);
    }

    /** A service exported as the mesh default says. */
    public DiscoveredService(int schemaVersion, String cluster, String namespace, String name, String hostname,
                             String kind, String externalName, List<String> vips, List<ServicePort> ports,
                             List<ServiceEndpoint> endpoints, int endpointsLeftOut) {
        this(schemaVersion, cluster, namespace, name, hostname, kind, externalName, vips, ports, endpoints,
                endpointsLeftOut, List.of());
    }

    /** The record key: {@code cluster/namespace/name}. */
    public String key() {
        return EndpointKeys.service(cluster, namespace, name);
    }
}
