package meshlog.reconciler.simulate;

import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import meshlog.reconciler.simulate.SimResult.DirectResponse;
import meshlog.reconciler.simulate.SimResult.Redirect;
import meshlog.reconciler.simulate.SimResult.WeightedCluster;

/** From an HTTP connection manager to the route's action: RDS (or inline) route configuration, host, route. */
final class HttpRouting {

    private HttpRouting() {
    }

    static SimResult route(String handedOffBy, String listener, String chain, HttpConnectionManager hcm,
                           Function<String, RouteConfiguration> rds, SimRequest req) {
        RouteConfiguration rc;
        if (hcm.hasRds()) {
            rc = rds.apply(hcm.getRds().getRouteConfigName());
            if (rc == null) {
                return SimResult.none(handedOffBy, listener, chain, "route configuration "
                        + hcm.getRds().getRouteConfigName() + " is not served");
            }
        } else {
            rc = hcm.getRouteConfig();
        }
        VirtualHost vh = RouteSelector.virtualHost(rc, req.authority());
        if (vh == null) {
            return new SimResult(handedOffBy, listener, chain, rc.getName(), null, null, null, null, null,
                    "no virtual host of " + rc.getName() + " has a domain matching " + req.authority());
        }
        int i = RouteSelector.route(vh, req);
        if (i < 0) {
            return new SimResult(handedOffBy, listener, chain, rc.getName(), vh.getName(), null, null, null, null,
                    "no route of " + vh.getName() + " matches " + req.method() + " " + req.path());
        }
        Route r = vh.getRoutes(i);
        String name = r.getName().isEmpty() ? "routes[" + i + "]" : r.getName();
        return switch (r.getActionCase()) {
            case ROUTE -> new SimResult(handedOffBy, listener, chain, rc.getName(), vh.getName(), name,
                    clusters(r.getRoute()), null, null, null);
            case DIRECT_RESPONSE -> new SimResult(handedOffBy, listener, chain, rc.getName(), vh.getName(), name,
                    null, new DirectResponse(r.getDirectResponse().getStatus(), r.getDirectResponse().hasBody()
                    ? r.getDirectResponse().getBody().getInlineString() : null), null, null);
            case REDIRECT -> new SimResult(handedOffBy, listener, chain, rc.getName(), vh.getName(), name, null,
                    null, redirect(r, req), null);
            default -> new SimResult(handedOffBy, listener, chain, rc.getName(), vh.getName(), name, null, null,
                    null, "route " + name + " has action " + r.getActionCase() + ", which the simulator does not know");
        };
    }

    private static List<WeightedCluster> clusters(RouteAction action) {
        if (action.hasWeightedClusters()) {
            List<WeightedCluster> out = new ArrayList<>();
            action.getWeightedClusters().getClustersList().forEach(c -> out.add(new WeightedCluster(c.getName(),
                    c.getWeight().getValue())));
            return out;
        }
        return List.of(new WeightedCluster(action.getCluster(), 1));
    }

    /** The Location Envoy would send: rewritten parts, the request's own where the redirect keeps them. */
    private static Redirect redirect(Route r, SimRequest req) {
        RedirectAction a = r.getRedirect();
        String path = req.pathOnly();
        if (!a.getPathRedirect().isEmpty()) {
            path = a.getPathRedirect();
        } else if (!a.getPrefixRewrite().isEmpty() && r.getMatch().hasPrefix()) {
            path = a.getPrefixRewrite() + path.substring(Math.min(path.length(), r.getMatch().getPrefix().length()));
        }
        String host = a.getHostRedirect().isEmpty() ? req.authority() : a.getHostRedirect();
        String scheme = a.getSchemeRedirect().isEmpty() ? "http" : a.getSchemeRedirect();
        return new Redirect(status(a.getResponseCode()), scheme, host, a.getPortRedirect(), path);
    }

    private static int status(RedirectAction.RedirectResponseCode code) {
        return switch (code) {
            case FOUND -> 302;
            case SEE_OTHER -> 303;
            case TEMPORARY_REDIRECT -> 307;
            case PERMANENT_REDIRECT -> 308;
            default -> 301;
        };
    }
}
