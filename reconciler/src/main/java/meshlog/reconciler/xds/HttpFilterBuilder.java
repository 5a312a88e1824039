package meshlog.reconciler.xds;

import meshlog.xdscheck.XdsLimits;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import meshlog.reconciler.ir.HttpFilterIr;

/**
 * The HTTP filter plug-ins, in their order, as Envoy HTTP filters. Fault and CORS carry no config of their own
 * (they act only where a route configures them, {@link RouteFilterConfigs}); RBAC is {@link RbacBuilder}'s, JWT {@link JwtAuthnBuilder}'s.
 */
final class HttpFilterBuilder {

    static final String FAULT = "envoy.filters.http.fault";
    static final String CORS = "envoy.filters.http.cors";

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
        } else if (f instanceof HttpFilterIr.Fault) {
            return HttpFilter.newBuilder().setName(FAULT).setTypedConfig(Protos.pack(HTTPFault.getDefaultInstance()))
                    .build();
        } else if (f instanceof HttpFilterIr.JwtAuthn j) {
            return JwtAuthnBuilder.http(j.config());
        } else if (f instanceof HttpFilterIr.Rbac r) {
            return RbacBuilder.http(r.filter());
        } else if (f instanceof HttpFilterIr.Cors) {
            return HttpFilter.newBuilder().setName(CORS).setTypedConfig(Protos.pack(Cors.getDefaultInstance()))
                    .build();
        }
        throw new AssertionError(f);
    }
}
