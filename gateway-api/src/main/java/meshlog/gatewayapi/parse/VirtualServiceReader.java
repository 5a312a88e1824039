package meshlog.gatewayapi.parse;

import java.util.List;
import meshlog.gatewayapi.model.ObjectMeta;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.Destination;
import meshlog.gatewayapi.model.VirtualService.HeaderOperations;
import meshlog.gatewayapi.model.VirtualService.Headers;
import meshlog.gatewayapi.model.VirtualService.L4Match;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;
import meshlog.gatewayapi.model.VirtualService.TcpRoute;
import meshlog.gatewayapi.model.VirtualService.TlsMatch;
import meshlog.gatewayapi.model.VirtualService.TlsRoute;

/**
 * Reads {@code VirtualService.spec}: the top level, TLS and TCP routes and the parts every route shares
 * (destinations, header changes). HTTP routes are read by {@link HttpRouteReader}.
 */
final class VirtualServiceReader {

    /** A string match with more than one of exact, prefix or regex, or none where one is needed. */
    static final String STRING_MATCH = "VS0001";
    /** Two fields that are alternatives (a protobuf oneof) both set. */
    static final String ONE_OF = "VS0003";

    private VirtualServiceReader() {
    }

    static VirtualService read(ObjectMeta meta, Fields spec) {
        List<String> hosts = spec.strings("hosts");
        List<String> gateways = spec.strings("gateways");
        var http = spec.objects("http", (f, i) -> HttpRouteReader.route(f));
        var tls = spec.objects("tls", (f, i) -> new TlsRoute(f.objects("match", (m, j) -> tlsMatch(m)),
                f.objects("route", (r, j) -> routeDestination(r, false))));
        var tcp = spec.objects("tcp", (f, i) -> new TcpRoute(f.objects("match", (m, j) -> l4Match(m)),
                f.objects("route", (r, j) -> routeDestination(r, false))));
        return new VirtualService(meta, hosts, gateways, http, tls, tcp, spec.strings("exportTo"));
    }

    private static TlsMatch tlsMatch(Fields f) {
        return new TlsMatch(f.strings("sniHosts"), f.strings("destinationSubnets"), f.integer("port", 0),
                f.stringMap("sourceLabels"), f.strings("gateways"), f.string("sourceNamespace"));
    }

    private static L4Match l4Match(Fields f) {
        return new L4Match(f.strings("destinationSubnets"), f.integer("port", 0), f.string("sourceSubnet"),
                f.stringMap("sourceLabels"), f.strings("gateways"), f.string("sourceNamespace"));
    }

    /** A destination with its weight; only HTTP routes' destinations may change headers. */
    static RouteDestination routeDestination(Fields f, boolean http) {
        Destination dest = destination(f, "destination");
        Integer weight = f.integer("weight", null);
        return new RouteDestination(dest, weight, http ? headers(f, "headers") : null);
    }

    /** The destination in field {@code key}; null when absent. A missing host reads as empty. */
    static Destination destination(Fields parent, String key) {
        Fields d = parent.object(key);
        if (d == null) {
            return null;
        }
        int port = 0;
        Fields p = d.object("port");
        if (p != null) {
            port = p.integer("number", 0);
            p.end();
        }
        String host = d.string("host");
        Destination dest = new Destination(host == null ? "" : host, d.string("subset"), port);
        d.end();
        return dest;
    }

    /** The header changes in field {@code key}; null when absent. */
    static Headers headers(Fields parent, String key) {
        Fields h = parent.object(key);
        if (h == null) {
            return null;
        }
        Headers out = new Headers(operations(h, "request"), operations(h, "response"));
        h.end();
        return out;
    }

    private static HeaderOperations operations(Fields parent, String key) {
        Fields o = parent.object(key);
        if (o == null) {
            return null;
        }
        HeaderOperations out = new HeaderOperations(o.stringMap("set"), o.stringMap("add"), o.strings("remove"));
        o.end();
        return out;
    }

    /** The {@code value} of a {@code Percent} object in field {@code key}; null when absent. */
    static Double percent(Fields parent, String key) {
        Fields p = parent.object(key);
        if (p == null) {
            return null;
        }
        Double value = p.decimal("value");
        p.end();
        return value == null ? 0.0 : value;
    }

    /** Reports the fields of {@code keys} that are set when more than one is: they are alternatives. */
    static void oneOf(Fields f, String... keys) {
        String first = null;
        for (String key : keys) {
            if (!f.has(key)) {
                continue;
            }
            if (first != null) {
                f.error(ONE_OF, key, "only one of " + String.join(", ", keys) + " may be set; " + first
                        + " is set too");
            } else {
                first = key;
            }
        }
    }
}
