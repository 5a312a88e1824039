package meshlog.reconciler.xds;

import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.List;
import meshlog.reconciler.ir.ListenerIr;

/**
 * API listeners for proxyless gRPC clients: {@code xds:///<host>:<port>} asks LDS for the listener of that name,
 * whose HttpConnectionManager points at the route configuration over ADS.
 */
final class ListenerBuilder {


    /** The HTTP filters, in order. The router must be last; new filters are inserted before it. */
    private static final List<HttpFilter> HTTP_FILTERS = List.of(
            HttpFilter.newBuilder().setName(XdsLimits.ROUTER_FILTER)
                    .setTypedConfig(Protos.pack(Router.getDefaultInstance()))
                    .build());

    private ListenerBuilder() {
    }

    static Listener build(ListenerIr ir) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix(ir.name())
                .setRds(Rds.newBuilder().setConfigSource(Protos.ads()).setRouteConfigName(ir.routeTable()))
                .addAllHttpFilters(HTTP_FILTERS)
                .build();
        return Listener.newBuilder()
                .setName(ir.name())
                .setApiListener(ApiListener.newBuilder().setApiListener(Protos.pack(hcm)))
                .build();
    }
}
