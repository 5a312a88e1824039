package meshlog.reconciler.translate;

import java.util.List;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.ServiceIr;

/** The HTTP routes of one service port, in order, before a layout puts them into route tables. */
record ServiceRoutes(ServiceIr service, List<RouteIr> routes) {
    ServiceRoutes {
        routes = List.copyOf(routes);
    }
}
