package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.delegation.Delegation;
import meshlog.gatewayapi.delegation.Delegation.ServedRoute;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.RouteMatchIr;
import meshlog.reconciler.ir.RoutePolicyIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;

/**
 * The {@code http} routes of one VirtualService, for one service port and one proxy scope, in order. Each entry of
 * {@code match[]} that applies to the proxy becomes one route with the route's action (entries are ORed;
 * conditions inside one are ANDed, {@link HttpMatchTranslator}); no match means every request. Route names follow
 * Istio: the route's name, plus {@code .<match name>} when the match has one (a delegated route's names are
 * {@code <root>-<delegate>}, {@link Delegation}).
 *
 * <p><b>A route never matches more than the user wrote.</b> A match entry that does not apply to this proxy
 * ({@code sourceLabels}, {@code sourceNamespace}, {@code port}, {@code gateways}), or whose conditions this proxy
 * kind cannot test, is dropped for this proxy, as Istio drops it; a route whose every entry is dropped is skipped.
 */
final class HttpRouteTranslator {

    private HttpRouteTranslator() {
    }

    /** @param served the VirtualService's routes with its delegation applied ({@link Delegation}) */
    static List<RouteIr> translate(List<ServedRoute> served, ServiceIr service, ServiceIndex index,
                                   ProxyScope scope, RoutePolicyIr defaultPolicy, List<TranslationNote> notes) {
        List<RouteIr> out = new ArrayList<>();
        for (ServedRoute s : served) {
            HttpRoute route = s.route();
            String path = s.path();
            String origin = s.source();
            RouteActionIr action = HttpActionTranslator.action(s, service, index, notes);
            if (action == null) {
                continue;
            }
            RoutePolicyIr policy = HttpPolicyTranslator.policy(route, defaultPolicy, action);
            var headerOps = HttpPolicyTranslator.headerOps(route);
            var fault = HttpPolicyTranslator.fault(route, path, origin, notes);
            var cors = HttpPolicyTranslator.cors(route);
            if (route.match().isEmpty()) {
                out.add(new RouteIr(route.name(), RouteMatchIr.ANY, action, policy, headerOps, fault, cors));
                continue;
            }
            for (int j = 0; j < route.match().size(); j++) {
                HttpMatch match = route.match().get(j);
                String why = HttpMatchTranslator.notApplicable(match, service, scope);
                if (why != null) {
                    notes.add(new TranslationNote(origin, path + ".match[" + j + "] (for " + service.name() + ", "
                            + scope.id() + "): " + why + "; this match entry is left out for that proxy"));
                    continue;
                }
                String name = match.name().isEmpty() ? route.name() : route.name() + "." + match.name();
                out.add(new RouteIr(name, HttpMatchTranslator.match(match), action, policy, headerOps, fault,
                        cors));
            }
        }
        return out;
    }
}
