package meshlog.gatewayapi.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import meshlog.gatewayapi.model.ObjectMeta;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.Destination;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;

/** Reads {@code VirtualService.spec}. */
final class VirtualServiceReader {

    static final String STRING_MATCH = "VS0001";

    private VirtualServiceReader() {
    }

    static VirtualService read(ObjectMeta meta, Fields spec) {
        spec.notImplemented("tls", "tcp", "exportTo");
        var http = spec.objects("http", (f, i) -> route(f));
        return new VirtualService(meta, spec.strings("hosts"), spec.strings("gateways"), http);
    }

    private static HttpRoute route(Fields f) {
        f.notImplemented("rewrite", "timeout", "retries", "fault", "mirror", "mirrors", "mirrorPercentage",
                "mirrorPercent", "mirror_percent", "corsPolicy", "headers", "redirect", "directResponse",
                "delegate");
        var match = f.objects("match", (m, i) -> match(m));
        var route = f.objects("route", (r, i) -> destination(r));
        return new HttpRoute(f.string("name"), match, route);
    }

    private static HttpMatch match(Fields f) {
        f.notImplemented("scheme", "method", "authority", "withoutHeaders", "queryParams", "port", "sourceLabels",
                "sourceNamespace", "gateways", "ignoreUriCase", "statPrefix");
        StringMatch uri = stringMatch(f.object("uri"));
        Map<String, StringMatch> headers = new LinkedHashMap<>();
        Fields h = f.object("headers");
        if (h != null) {
            for (String name : ((SourceNode.MapNode) h.node()).entries().keySet()) {
                StringMatch m = stringMatch(h.object(name));
                if (m != null) {
                    headers.put(name, m);
                }
            }
            h.end();
        }
        return new HttpMatch(f.string("name"), uri, headers);
    }

    /** Exactly one of exact, prefix, regex; null (and reported) otherwise. */
    private static StringMatch stringMatch(Fields f) {
        if (f == null) {
            return null;
        }
        String exact = f.string("exact");
        String prefix = f.string("prefix");
        String regex = f.string("regex");
        f.end();
        int given = (exact != null ? 1 : 0) + (prefix != null ? 1 : 0) + (regex != null ? 1 : 0);
        if (given != 1) {
            f.errorHere(STRING_MATCH, "exactly one of exact, prefix or regex must be set, got " + given);
            return null;
        }
        if (exact != null) {
            return new StringMatch.Exact(exact);
        }
        return prefix != null ? new StringMatch.Prefix(prefix) : new StringMatch.Regex(regex);
    }

    private static RouteDestination destination(Fields f) {
        f.notImplemented("headers");
        Destination dest = null;
        Fields d = f.object("destination");
        if (d != null) {
            Integer port = null;
            Fields p = d.object("port");
            if (p != null) {
                port = p.integer("number", 0);
                p.end();
            }
            String host = d.string("host");
            dest = new Destination(host == null ? "" : host, d.string("subset"), port == null ? 0 : port);
            d.end();
        }
        return new RouteDestination(dest, f.integer("weight", null));
    }
}
