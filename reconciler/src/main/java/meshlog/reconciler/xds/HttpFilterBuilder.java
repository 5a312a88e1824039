package meshlog.reconciler.xds;

import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import meshlog.reconciler.ir.HttpFilterIr;

/** The HTTP filter plug-ins, in their order, as Envoy HTTP filters. */
final class HttpFilterBuilder {

    private HttpFilterBuilder() {
    }

    static List<HttpFilter> build(List<HttpFilterIr> filters) {
        List<HttpFilter> out = new ArrayList<>(filters.size());
        for (HttpFilterIr f : filters) {
            out.add(filter(f));
        }
        return out;
    }

    private static HttpFilter filter(HttpFilterIr f) {
        if (f instanceof HttpFilterIr.Router) {
            return HttpFilter.newBuilder().setName(XdsLimits.ROUTER_FILTER)
                    .setTypedConfig(Protos.pack(Router.getDefaultInstance())).build();
        }
        throw new AssertionError(f);
    }
}
