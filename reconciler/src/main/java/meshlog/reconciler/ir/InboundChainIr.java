package meshlog.reconciler.ir;

import java.util.List;

/**
 * What an Envoy sidecar does with a connection to one port of its own workload, as Istio's inbound filter chains:
 * HTTP through an HttpConnectionManager whose one route sends everything to {@code cluster}, or TCP proxied to it.
 *
 * @param name {@code <bind>_<port>} as Istio names the chain (and, when bound, the listener)
 * @param port the destination port the chain matches ({@code destination_port}): the workload's port
 * @param http HTTP (protocols HTTP, HTTP2, GRPC, GRPC-WEB, or none given) or TCP (every other protocol)
 * @param cluster the {@link InboundClusterIr} it forwards to, {@code inbound|<port>||}
 * @param statPrefix {@code inbound_<bind>_<port>}
 * @param rbac the AuthorizationPolicy filters before the router (HTTP) or tcp_proxy (TCP), in their order
 * @param mtls what the port accepts ({@link InboundTlsIr}); the builder lays out Istio's chains for it
 * @param jwt the RequestAuthentications' JWT checks before the RBAC filters (HTTP only), or null for none
 */
public record InboundChainIr(String name, int port, boolean http, String cluster, String statPrefix,
                             List<RbacFilterIr> rbac, InboundTlsIr.Mode mtls, JwtAuthnIr jwt) {

    public InboundChainIr {
        rbac = List.copyOf(rbac);
    }

    /**
     * The chain of {@code port} on {@code bind}, named as Istio names it, without authorization filters, accepting
     * PERMISSIVE (Istio's default).
     */
    public static InboundChainIr of(String bind, int port, boolean http, String cluster) {
        String name = bind + "_" + port;
        return new InboundChainIr(name, port, http, cluster, "inbound_" + name, List.of(),
                InboundTlsIr.Mode.PERMISSIVE, null);
    }

    /** This chain with {@code filters} as its authorization filters. */
    public InboundChainIr withRbac(List<RbacFilterIr> filters) {
        return new InboundChainIr(name, port, http, cluster, statPrefix, filters, mtls, jwt);
    }

    /** The same chain accepting {@code mode}. */
    public InboundChainIr withMtls(InboundTlsIr.Mode mode) {
        return new InboundChainIr(name, port, http, cluster, statPrefix, rbac, mode, jwt);
    }

    /** The same chain checking JWTs as {@code checks} says (null: none). */
    public InboundChainIr withJwt(JwtAuthnIr checks) {
        return new InboundChainIr(name, port, http, cluster, statPrefix, rbac, mtls, checks);
    }
}
