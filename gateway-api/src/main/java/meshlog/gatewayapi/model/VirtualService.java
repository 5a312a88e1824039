package meshlog.gatewayapi.model;

import java.util.List;
import java.util.Map;

/** Istio {@code VirtualService}: how requests for some hosts are matched and routed. */
public record VirtualService(ObjectMeta metadata, List<String> hosts, List<String> gateways, List<HttpRoute> http)
        implements MeshResource {

    /** One entry of {@code spec.http}: the first route whose match applies wins, as in Istio. */
    public record HttpRoute(String name, List<HttpMatch> match, List<RouteDestination> route) {
        public HttpRoute {
            name = name == null ? "" : name;
            match = List.copyOf(match);
            route = List.copyOf(route);
        }
    }

    /** Conditions inside one match are ANDed; the entries of {@code match[]} are ORed. */
    public record HttpMatch(String name, StringMatch uri, Map<String, StringMatch> headers) {
        public HttpMatch {
            name = name == null ? "" : name;
            headers = Map.copyOf(headers);
        }
    }

    /** {@code weight} is null when the user gave none (Istio: 100 for a single destination). */
    public record RouteDestination(Destination destination, Integer weight) {
    }

    /** {@code subset} is empty and {@code port} 0 when not given. */
    public record Destination(String host, String subset, int port) {
        public Destination {
            subset = subset == null ? "" : subset;
        }
    }

    public VirtualService {
        hosts = List.copyOf(hosts);
        gateways = List.copyOf(gateways);
        http = List.copyOf(http);
    }

    @Override
    public String kind() {
        return "VirtualService";
    }
}
