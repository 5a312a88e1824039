package meshlog.reconciler.ir;

import java.util.List;

/** Who sends a request or opens a connection, as one of Envoy's RBAC principals: a tree of conditions. */
public sealed interface RbacPrincipalIr {

    /** Everyone. */
    record Any() implements RbacPrincipalIr {
    }

    /** All of {@code ids}. */
    record And(List<RbacPrincipalIr> ids) implements RbacPrincipalIr {
        public And {
            ids = List.copyOf(ids);
        }
    }

    /** One of {@code ids}. */
    record Or(List<RbacPrincipalIr> ids) implements RbacPrincipalIr {
        public Or {
            ids = List.copyOf(ids);
        }
    }

    /** Not {@code id}. */
    record Not(RbacPrincipalIr id) implements RbacPrincipalIr {
    }

    /** The peer's certificate (its URI SAN, the SPIFFE ID); a plaintext peer has none and never matches. */
    record Authenticated(RbacMatchIr principal) implements RbacPrincipalIr {
    }

    /**
     * The peer's address in a CIDR block: the connection's own source ({@code direct}, Istio's {@code ipBlocks}
     * and {@code source.ip}), or the client's as {@code X-Forwarded-For} tells it (Istio's {@code remoteIpBlocks}).
     */
    record SourceIp(boolean direct, String address, int prefixLen) implements RbacPrincipalIr {
    }

    /** A request header. */
    record Header(String name, RbacMatchIr match) implements RbacPrincipalIr {
    }

    /**
     * A claim of the request's verified JWT (the payload {@code jwt_authn} writes to dynamic metadata): the value
     * at {@code path} (a claim, then keys of nested objects) matching one of {@code values}; with
     * {@code orListItem}, a list claim one of whose items matches does too (Istio's matcher for {@code aud},
     * {@code azp} and {@code request.auth.claims}). A request without a verified token has no claims.
     */
    record JwtClaim(List<String> path, List<RbacMatchIr> values, boolean orListItem) implements RbacPrincipalIr {
        public JwtClaim {
            path = List.copyOf(path);
            values = List.copyOf(values);
        }
    }

    Any ANY = new Any();
}
