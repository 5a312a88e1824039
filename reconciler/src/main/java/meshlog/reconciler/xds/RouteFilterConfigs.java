package meshlog.reconciler.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.Map;
import java.util.TreeMap;
import meshlog.reconciler.ir.CorsIr;
import meshlog.reconciler.ir.FaultIr;
import meshlog.reconciler.ir.RouteActionIr;

/** A route's configuration of the fault and CORS filters ({@code typed_per_filter_config}), and its mirrors. */
final class RouteFilterConfigs {

    private RouteFilterConfigs() {
    }

    /** Filter name → config, sorted; empty when the route configures neither. */
    static Map<String, Any> of(FaultIr fault, CorsIr cors) {
        Map<String, Any> out = new TreeMap<>();
        if (fault != null) {
            out.put(HttpFilterBuilder.FAULT, Protos.pack(fault(fault)));
        }
        if (cors != null) {
            out.put(HttpFilterBuilder.CORS, Protos.pack(cors(cors)));
        }
        return out;
    }

    private static HTTPFault fault(FaultIr f) {
        HTTPFault.Builder b = HTTPFault.newBuilder();
        if (f.delay() != null) {
            b.setDelay(FaultDelay.newBuilder().setFixedDelay(Protos.duration(f.delay()))
                    .setPercentage(percent(f.delayPercent())));
        }
        if (f.abortHttpStatus() > 0) {
            b.setAbort(FaultAbort.newBuilder().setHttpStatus(f.abortHttpStatus()).setPercentage(percent(f.abortPercent())));
        } else if (f.abortGrpcStatus() >= 0) {
            b.setAbort(FaultAbort.newBuilder().setGrpcStatus(f.abortGrpcStatus()).setPercentage(percent(f.abortPercent())));
        }
        return b.build();
    }

    private static CorsPolicy cors(CorsIr c) {
        CorsPolicy.Builder b = CorsPolicy.newBuilder();
        c.allowOrigins().forEach(o -> b.addAllowOriginStringMatch(RouteMatchBuilder.string(o)));
        if (!c.allowMethods().isEmpty()) {
            b.setAllowMethods(String.join(",", c.allowMethods()));
        }
        if (!c.allowHeaders().isEmpty()) {
            b.setAllowHeaders(String.join(",", c.allowHeaders()));
        }
        if (!c.exposeHeaders().isEmpty()) {
            b.setExposeHeaders(String.join(",", c.exposeHeaders()));
        }
        if (c.maxAge() != null) {
            b.setMaxAge(String.valueOf(c.maxAge().getSeconds()));
        }
        if (c.allowCredentials() != null) {
            b.setAllowCredentials(com.google.protobuf.BoolValue.of(c.allowCredentials()));
        }
        return b.build();
    }

    static RouteAction.RequestMirrorPolicy mirror(RouteActionIr.MirrorIr m) {
        return RouteAction.RequestMirrorPolicy.newBuilder().setCluster(m.backend().clusterName())
                .setRuntimeFraction(RuntimeFractionalPercent.newBuilder().setDefaultValue(percent(m.percent())))
                .build();
    }

    /** Istio's conversion: a percentage as parts per million. */
    static FractionalPercent percent(double percent) {
        return FractionalPercent.newBuilder().setNumerator((int) Math.round(percent * 10_000))
                .setDenominator(FractionalPercent.DenominatorType.MILLION).build();
    }
}
