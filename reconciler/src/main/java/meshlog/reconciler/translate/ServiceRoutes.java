package meshlog.reconciler.translate;

import java.util.List;
import meshlog.reconciler.ir.L4ChainIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.ServiceIr;

/**
 * The routes of one service port before a layout places them: HTTP routes in order, and for a TCP or TLS port of
 * an Envoy sidecar its filter chains ({@link L4RouteTranslator}; empty otherwise).
 */
record ServiceRoutes(ServiceIr service, List<RouteIr> routes, List<L4ChainIr> chains) {
    ServiceRoutes {
        routes = List.copyOf(routes);
        chains = List.copyOf(chains);
    }

    ServiceRoutes(ServiceIr service, List<RouteIr> routes) {
        this(service, routes, List.of());
    }
}
