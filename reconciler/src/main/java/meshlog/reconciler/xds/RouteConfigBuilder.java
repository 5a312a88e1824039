package meshlog.reconciler.xds;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import meshlog.reconciler.ir.HashPolicyIr;
import meshlog.reconciler.ir.HeaderOpsIr;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.RoutePolicyIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.VirtualHostIr;
import meshlog.reconciler.ir.WeightedBackendIr;

/** A route table as a RouteConfiguration: its virtual hosts in order, each with its routes in order. */
final class RouteConfigBuilder {

    private RouteConfigBuilder() {
    }

    static RouteConfiguration build(RouteTableIr ir) {
        RouteConfiguration.Builder rc = RouteConfiguration.newBuilder().setName(ir.name());
        for (VirtualHostIr host : ir.virtualHosts()) {
            VirtualHost.Builder vh = VirtualHost.newBuilder().setName(host.name()).addAllDomains(host.domains());
            host.routes().forEach(r -> vh.addRoutes(route(r)));
            rc.addVirtualHosts(vh);
        }
        return rc.build();
    }

    private static Route route(RouteIr ir) {
        Route.Builder route = Route.newBuilder().setName(ir.name()).setMatch(RouteMatchBuilder.build(ir.match()));
        RouteActionIr action = ir.action();
        if (action instanceof RouteActionIr.ToCluster to) {
            route.setRoute(policy(ir.policy(), RouteAction.newBuilder().setCluster(to.cluster())));
        } else if (action instanceof RouteActionIr.Forward forward) {
            route.setRoute(policy(ir.policy(), forward(forward)));
        } else if (action instanceof RouteActionIr.Redirect redirect) {
            route.setRedirect(redirect(redirect));
        } else if (action instanceof RouteActionIr.DirectResponse direct) {
            DirectResponseAction.Builder d = DirectResponseAction.newBuilder().setStatus(direct.status());
            if (direct.body() != null) {
                d.setBody(DataSource.newBuilder().setInlineString(direct.body()));
            }
            route.setDirectResponse(d);
        } else {
            throw new AssertionError(action);
        }
        headers(ir.headerOps(), route);
        route.putAllTypedPerFilterConfig(RouteFilterConfigs.of(ir.fault(), ir.cors()));
        return route.build();
    }

    private static RouteAction.Builder forward(RouteActionIr.Forward forward) {
        RouteAction.Builder action = RouteAction.newBuilder();
        if (forward.backends().size() == 1) {
            action.setCluster(forward.backends().get(0).backend().clusterName());
        } else {
            WeightedCluster.Builder wc = WeightedCluster.newBuilder();
            for (WeightedBackendIr b : forward.backends()) {
                wc.addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(b.backend().clusterName())
                        .setWeight(UInt32Value.of(b.weight())));
            }
            action.setWeightedClusters(wc);
        }
        RouteActionIr.RewriteIr rw = forward.rewrite();
        if (rw != null) {
            if (!rw.prefix().isEmpty()) {
                action.setPrefixRewrite(rw.prefix());
            }
            if (!rw.regex().isEmpty()) {
                action.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
                        .setPattern(RouteMatchBuilder.regex(rw.regex())).setSubstitution(rw.substitution()));
            }
            if (!rw.authority().isEmpty()) {
                action.setHostRewriteLiteral(rw.authority());
            }
        }
        forward.mirrors().forEach(m -> action.addRequestMirrorPolicies(RouteFilterConfigs.mirror(m)));
        if (forward.hash() != null) {
            action.addHashPolicy(hashPolicy(forward.hash()));
        }
        return action;
    }

    private static RouteAction.HashPolicy hashPolicy(HashPolicyIr h) {
        RouteAction.HashPolicy.Builder b = RouteAction.HashPolicy.newBuilder();
        switch (h.kind()) {
            case HEADER -> b.setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName(h.name()));
            case QUERY_PARAMETER -> b.setQueryParameter(RouteAction.HashPolicy.QueryParameter.newBuilder()
                    .setName(h.name()));
            case SOURCE_IP -> b.setConnectionProperties(RouteAction.HashPolicy.ConnectionProperties.newBuilder()
                    .setSourceIp(true));
            case COOKIE -> {
                RouteAction.HashPolicy.Cookie.Builder c = RouteAction.HashPolicy.Cookie.newBuilder().setName(h.name());
                if (h.cookieTtl() != null) {
                    c.setTtl(Protos.duration(h.cookieTtl()));
                }
                if (!h.cookiePath().isEmpty()) {
                    c.setPath(h.cookiePath());
                }
                b.setCookie(c);
            }
            default -> throw new AssertionError(h.kind());
        }
        return b.build();
    }

    private static RedirectAction redirect(RouteActionIr.Redirect r) {
        RedirectAction.Builder b = RedirectAction.newBuilder();
        if (!r.prefixRewrite().isEmpty()) {
            b.setPrefixRewrite(r.prefixRewrite());
        } else if (!r.path().isEmpty()) {
            b.setPathRedirect(r.path());
        }
        if (!r.authority().isEmpty()) {
            b.setHostRedirect(r.authority());
        }
        if (r.port() > 0) {
            b.setPortRedirect(r.port());
        }
        if (!r.scheme().isEmpty()) {
            b.setSchemeRedirect(r.scheme());
        }
        b.setResponseCode(switch (r.code()) {
            case 302 -> RedirectAction.RedirectResponseCode.FOUND;
            case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
            case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
            case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
            default -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
        });
        return b.build();
    }

    private static void headers(HeaderOpsIr ops, Route.Builder route) {
        ops.requestSet().forEach((k, v) -> route.addRequestHeadersToAdd(header(k, v, false)));
        ops.requestAdd().forEach((k, v) -> route.addRequestHeadersToAdd(header(k, v, true)));
        route.addAllRequestHeadersToRemove(ops.requestRemove());
        ops.responseSet().forEach((k, v) -> route.addResponseHeadersToAdd(header(k, v, false)));
        ops.responseAdd().forEach((k, v) -> route.addResponseHeadersToAdd(header(k, v, true)));
        route.addAllResponseHeadersToRemove(ops.responseRemove());
    }

    private static HeaderValueOption header(String name, String value, boolean append) {
        return HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
                .setAppendAction(append ? HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
                        : HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
                .build();
    }

    /**
     * Timeout and retries as Istio writes them (route.go {@code setTimeout}): for Envoy the route timeout; for
     * grpc-java, which ignores {@code timeout}, the same duration as {@code max_stream_duration}. Istio also sends
     * Envoy {@code max_grpc_timeout} (a gRPC caller's {@code grpc-timeout} honoured up to the route timeout); Envoy
     * 1.40 counts that field as deprecated, and its replacement ({@code max_stream_duration}) would make Envoy
     * ignore the route timeout, so a sidecar applies the route timeout alone. Retries avoid the hosts already tried.
     */
    private static RouteAction policy(RoutePolicyIr policy, RouteAction.Builder action) {
        if (policy.timeout() != null) {
            action.setTimeout(Protos.duration(policy.timeout()));
            switch (policy.deadline()) {
                case ROUTE_TIMEOUT -> {
                    // the route timeout above is all
                }
                case STREAM_DURATION -> action.setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
                        .setMaxStreamDuration(Protos.duration(policy.timeout())));
                default -> throw new AssertionError(policy.deadline());
            }
        }
        RoutePolicyIr.RetryIr retry = policy.retry();
        if (retry != null) {
            RetryPolicy.Builder rp = RetryPolicy.newBuilder().setRetryOn(retry.retryOn())
                    .setNumRetries(UInt32Value.of(retry.attempts()))
                    .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                            .setName("envoy.retry_host_predicates.previous_hosts")
                            .setTypedConfig(Protos.pack(PreviousHostsPredicate.getDefaultInstance())))
                    .setHostSelectionRetryMaxAttempts(5)
                    .addAllRetriableStatusCodes(retry.retriableStatusCodes());
            if (retry.perTryTimeout() != null) {
                rp.setPerTryTimeout(Protos.duration(retry.perTryTimeout()));
            }
            action.setRetryPolicy(rp);
        }
        return action.build();
    }
}
