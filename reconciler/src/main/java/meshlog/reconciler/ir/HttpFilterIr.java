package meshlog.reconciler.ir;

import java.util.List;

/**
 * One HTTP filter of a listener's chain. The chain is an explicit ordered list of these plug-ins (fault, CORS,
 * RBAC and JWT come before the router); the router ends every chain.
 */
public sealed interface HttpFilterIr permits HttpFilterIr.Fault, HttpFilterIr.Cors, HttpFilterIr.Rbac,
        HttpFilterIr.JwtAuthn, HttpFilterIr.Router {

    /** Envoy's fault filter: each route's {@link FaultIr}, if any, delays or aborts its requests. */
    record Fault() implements HttpFilterIr {
    }

    /** Envoy's CORS filter: each route's {@link CorsIr}, if any, answers preflights and sets CORS headers. */
    record Cors() implements HttpFilterIr {
    }

    /** Envoy's JWT filter: the RequestAuthentications' token checks, {@link JwtAuthnIr}; before RBAC. */
    record JwtAuthn(JwtAuthnIr config) implements HttpFilterIr {
    }

    /** Envoy's RBAC filter: one AuthorizationPolicy action's policies, {@link RbacFilterIr}. */
    record Rbac(RbacFilterIr filter) implements HttpFilterIr {
    }

    /** Sends the request where the route table says; always last. */
    record Router() implements HttpFilterIr {
    }

    /** The chain of a listener that only routes. */
    List<HttpFilterIr> ROUTER_ONLY = List.of(new Router());

    /** A proxyless gRPC client's chain: fault injection (grpc-java supports it), then the router. */
    List<HttpFilterIr> GRPC = List.of(new Fault(), new Router());

    /** An Envoy sidecar's outbound chain, in Istio's order: fault, CORS, router. */
    List<HttpFilterIr> SIDECAR_OUTBOUND = List.of(new Fault(), new Cors(), new Router());

    /** A copy of {@code filters}, refused unless the router is last and only last. */
    static List<HttpFilterIr> checked(List<HttpFilterIr> filters) {
        List<HttpFilterIr> copy = List.copyOf(filters);
        for (int i = 0; i < copy.size(); i++) {
            if ((copy.get(i) instanceof Router) != (i == copy.size() - 1)) {
                throw new IllegalArgumentException("the router must end the HTTP filter chain, once: " + copy);
            }
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("an HTTP filter chain needs the router");
        }
        return copy;
    }
}
