package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.reconciler.ir.HeaderMatchIr;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.RoutePolicyIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TextMatchIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WeightedBackendIr;

/**
 * The {@code http} routes of one VirtualService, for one service port, in order. Each entry of {@code match[]}
 * becomes one route with the same action (entries are ORed; conditions inside one are ANDed); no match means every
 * path. Route names follow Istio: the route's name, plus {@code .<match name>} when the match has one.
 */
final class HttpRouteTranslator {

    private HttpRouteTranslator() {
    }

    static List<RouteIr> translate(VirtualService vs, ServiceIr service, ServiceIndex index, RoutePolicyIr policy,
                                   List<TranslationNote> notes) {
        List<RouteIr> out = new ArrayList<>();
        for (int i = 0; i < vs.http().size(); i++) {
            HttpRoute route = vs.http().get(i);
            List<WeightedBackendIr> backends = DestinationResolver.resolve(vs, i, service, index, notes);
            if (backends.isEmpty()) {
                continue;
            }
            RouteActionIr action = new RouteActionIr.Forward(backends);
            if (route.match().isEmpty()) {
                out.add(new RouteIr(route.name(), TextMatchIr.ANY_PATH, List.of(), action, policy));
            }
            for (HttpMatch match : route.match()) {
                String name = match.name().isEmpty() ? route.name() : route.name() + "." + match.name();
                TextMatchIr path = match.uri() == null ? TextMatchIr.ANY_PATH : text(match.uri());
                out.add(new RouteIr(name, path, headers(match.headers()), action, policy));
            }
        }
        return out;
    }

    private static List<HeaderMatchIr> headers(Map<String, StringMatch> headers) {
        // Sorted: the model's map has no stable iteration order.
        List<HeaderMatchIr> out = new ArrayList<>();
        new TreeMap<>(headers).forEach((name, m) -> out.add(new HeaderMatchIr(name, text(m))));
        return out;
    }

    static TextMatchIr text(StringMatch m) {
        if (m instanceof StringMatch.Exact e) {
            return new TextMatchIr(TextMatchIr.Kind.EXACT, e.value());
        }
        if (m instanceof StringMatch.Prefix p) {
            return new TextMatchIr(TextMatchIr.Kind.PREFIX, p.value());
        }
        return new TextMatchIr(TextMatchIr.Kind.REGEX, m.value());
    }
}
