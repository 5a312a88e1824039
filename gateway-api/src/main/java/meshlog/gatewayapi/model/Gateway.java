package meshlog.gatewayapi.model;

import java.util.List;
import java.util.Map;

/**
 * Istio {@code Gateway}: the servers (ports, hosts, TLS) of the gateway proxies whose pod labels match
 * {@code selector}.
 */
public record Gateway(ObjectMeta metadata, Map<String, String> selector, List<Server> servers)
        implements MeshResource {

    /**
     * One server: a port with the hosts it exposes. {@code port} and {@code tls} are null when not given (a
     * {@code tls} block, even an empty one, matters: HTTPS and TLS ports need one). {@code hosts} are written
     * {@code [namespace/]host}, where the namespace (or {@code *}, {@code .}) limits which VirtualServices may bind.
     * {@code bind}, {@code defaultEndpoint} and {@code name} are empty when not given.
     */
    public record Server(ListenerPort port, String bind, List<String> hosts, ServerTlsSettings tls,
                         String defaultEndpoint, String name) {
        public Server {
            bind = bind == null ? "" : bind;
            hosts = List.copyOf(hosts);
            defaultEndpoint = defaultEndpoint == null ? "" : defaultEndpoint;
            name = name == null ? "" : name;
        }
    }

    public Gateway {
        selector = Map.copyOf(selector);
        servers = List.copyOf(servers);
    }

    @Override
    public String kind() {
        return "Gateway";
    }
}
