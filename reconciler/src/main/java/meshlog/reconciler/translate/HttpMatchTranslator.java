package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.reconciler.ir.HeaderMatchIr;
import meshlog.reconciler.ir.QueryMatchIr;
import meshlog.reconciler.ir.RouteMatchIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TextMatchIr;

/**
 * One {@code match[]} entry of an HTTP route, as Istio translates it: {@code uri} (with {@code ignoreUriCase}) is the
 * path; {@code headers} with a value or present ({@code {}}); {@code withoutHeaders} inverted; {@code queryParams};
 * {@code method}, {@code authority} and {@code scheme} as the pseudo-headers {@code :method}, {@code :authority},
 * {@code :scheme}. {@code sourceLabels}, {@code sourceNamespace}, {@code port} and {@code gateways} decide whether
 * the entry applies to a proxy at all.
 */
final class HttpMatchTranslator {

    private HttpMatchTranslator() {
    }

    /** Why the entry does not apply to proxies of {@code scope} on {@code service}'s port, or null if it does. */
    static String notApplicable(HttpMatch m, ServiceIr service, ProxyScope scope) {
        if (m.port() != 0 && m.port() != service.port()) {
            return "port " + m.port() + " is not this listener's port " + service.port();
        }
        if (scope.kind() == ProxyScope.Kind.ROUTER) {
            // a gateway's routes are translated for the Gateway's <ns>/<name> as host (GatewayServer); a bare name
            // in a match is taken in the Gateway's namespace (the match's VirtualService is not known here)
            String self = service.host();
            String ns = self.substring(0, self.indexOf('/'));
            if (!m.gateways().isEmpty() && m.gateways().stream().noneMatch(g -> {
                var key = VirtualService.gatewayKey(g, ns);
                return key != null && (key.namespace() + "/" + key.name()).equals(self);
            })) {
                return "gateways do not name " + self;
            }
        } else if (!m.gateways().isEmpty() && !m.gateways().contains(VirtualService.MESH_GATEWAY)) {
            return "gateways do not include mesh";
        }
        if (!m.sourceLabels().isEmpty() && !scope.labels().entrySet().containsAll(m.sourceLabels().entrySet())) {
            return scope.kind() == ProxyScope.Kind.GRPC
                    ? "sourceLabels cannot be told for proxyless gRPC clients (their scopes have no labels)"
                    : "sourceLabels " + new TreeMap<>(m.sourceLabels()) + " do not select this workload";
        }
        if (!m.sourceNamespace().isEmpty() && !m.sourceNamespace().equals(scope.namespace())) {
            return "sourceNamespace " + m.sourceNamespace() + " is not this proxy's namespace";
        }
        if (m.headers().keySet().stream().anyMatch(h -> h.startsWith("@request.auth.claims"))) {
            // gateways too: the JWT filter that sets the claims is not served yet
            return "JWT claim matches need a gateway's JWT filter, not served yet";
        }
        if (scope.kind() == ProxyScope.Kind.GRPC && (!m.queryParams().isEmpty() || !m.queryParamsPresent().isEmpty())) {
            return "queryParams are not matched by proxyless gRPC (calls have no query)";
        }
        return null;
    }

    static RouteMatchIr match(HttpMatch m) {
        TextMatchIr path = m.uri() == null ? TextMatchIr.ANY_PATH : text(m.uri());
        List<HeaderMatchIr> headers = new ArrayList<>();
        pseudo(":authority", m.authority(), headers);
        pseudo(":method", m.method(), headers);
        pseudo(":scheme", m.scheme(), headers);
        Map<String, HeaderMatchIr> named = new TreeMap<>();
        m.headers().forEach((name, match) -> named.put(name, new HeaderMatchIr(name, text(match), false)));
        m.headersPresent().forEach(name -> named.put(name, new HeaderMatchIr(name, null, false)));
        m.withoutHeaders().forEach((name, match) -> named.put("~" + name, new HeaderMatchIr(name, text(match), true)));
        m.withoutHeadersPresent().forEach(name -> named.put("~" + name, new HeaderMatchIr(name, null, true)));
        headers.addAll(named.values());
        Map<String, QueryMatchIr> query = new TreeMap<>();
        m.queryParams().forEach((name, match) -> query.put(name, new QueryMatchIr(name, text(match))));
        m.queryParamsPresent().forEach(name -> query.put(name, new QueryMatchIr(name, null)));
        return new RouteMatchIr(path, m.ignoreUriCase(), headers, List.copyOf(query.values()));
    }

    private static void pseudo(String name, StringMatch m, List<HeaderMatchIr> out) {
        if (m != null) {
            out.add(new HeaderMatchIr(name, text(m), false));
        }
    }

    static TextMatchIr text(StringMatch m) {
        if (m instanceof StringMatch.Exact e) {
            return new TextMatchIr(TextMatchIr.Kind.EXACT, e.value());
        }
        if (m instanceof StringMatch.Prefix p) {
            return new TextMatchIr(TextMatchIr.Kind.PREFIX, p.value());
        }
        if (m instanceof StringMatch.Regex r) {
            return new TextMatchIr(TextMatchIr.Kind.REGEX, r.value());
        }
        throw new AssertionError(m);
    }
}
