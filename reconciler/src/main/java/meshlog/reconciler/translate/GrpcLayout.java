package meshlog.reconciler.translate;

import java.util.Comparator;
import java.util.List;
import meshlog.reconciler.ir.ApiListenerIr;
import meshlog.reconciler.ir.HttpFilterIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.VirtualHostIr;

/**
 * How proxyless gRPC clients see the routes: per service port an API listener and a route table, both named
 * {@code <host>:<port>} (what {@code xds:///<host>:<port>} asks for), with one virtual host answering for
 * {@code <host>} and {@code <host>:<port>}.
 */
final class GrpcLayout {

    private GrpcLayout() {
    }

    /** @return sorted by name */
    static List<RouteTableIr> routeTables(List<ServiceRoutes> routes) {
        return routes.stream().map(r -> new RouteTableIr(r.service().name(), List.of(new VirtualHostIr(
                        r.service().name(), List.of(r.service().host(), r.service().name()), r.routes()))))
                .sorted(Comparator.comparing(RouteTableIr::name)).toList();
    }

    /** @return sorted by name */
    static List<ListenerIr> listeners(List<ServiceRoutes> routes) {
        return routes.stream()
                .<ListenerIr>map(r -> new ApiListenerIr(r.service().name(), r.service().name(),
                        HttpFilterIr.GRPC))
                .sorted(Comparator.comparing(ListenerIr::name)).toList();
    }
}
