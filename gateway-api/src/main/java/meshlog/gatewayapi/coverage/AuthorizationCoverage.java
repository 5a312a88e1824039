package meshlog.gatewayapi.coverage;

import static meshlog.gatewayapi.coverage.Applied.NO;
import static meshlog.gatewayapi.coverage.Applied.YES;

import java.util.List;

/**
 * AuthorizationPolicy's rows of the {@link Coverage} table: enforced on Envoy sidecars' inbound listeners by the RBAC
 * filters; not on proxyless gRPC (no inbound side is served to gRPC servers yet). A security kind's field that no
 * proxy is given is refused ({@code ML0017}), not warned about: a policy that is not enforced must not be
 * accepted as if it were.
 */
final class AuthorizationCoverage {

    static final String AP = "AuthorizationPolicy";
    private static final String RULE = "spec.rules[]";
    private static final String SOURCE = RULE + ".from[].source.";
    private static final String OPERATION = RULE + ".to[].operation.";
    private static final String JWT = "the verified JWT's claims (RequestAuthentication's filter; no token: no"
            + " claims); HTTP only";
    private static final When METADATA_KEY = When.or(When.startsWith("experimental."),
            When.startsWith("request.experimental."));

    private AuthorizationCoverage() {
    }

    static void add(List<FieldRow> out) {
        out.add(yes("spec.selector", "which sidecars it applies to (in the root namespace `istio-system`: of"
                + " every namespace); none: every workload of its namespace, or of the mesh in the root namespace"));
        out.add(no("spec.targetRef", "", When.WRITTEN, "selects gateways and waypoints; meshlog serves neither"));
        out.add(no("spec.targetRefs", "", When.NON_EMPTY, "selects gateways and waypoints; meshlog serves neither"));
        When custom = When.equalTo("CUSTOM");
        out.add(new FieldRow(AP, "spec.action", "ALLOW, DENY, AUDIT", YES, NO, "one RBAC filter per action, in the"
                + " order AUDIT, DENY, ALLOW", When.not(custom)));
        out.add(no("spec.action", "CUSTOM", custom, "needs an extension provider declared in the mesh config;"
                + " meshlog reads none"));
        out.add(no("spec.provider", "", When.WRITTEN, "CUSTOM only, which is refused"));
        for (String f : List.of("principals", "notPrincipals", "namespaces", "notNamespaces", "serviceAccounts",
                "notServiceAccounts", "trustDomains", "notTrustDomains")) {
            out.add(yes(SOURCE + f, "the peer's SPIFFE ID from its mTLS certificate (a plaintext peer has none)"));
        }
        for (String f : List.of("ipBlocks", "notIpBlocks")) {
            out.add(yes(SOURCE + f, "the connection's source address"));
        }
        for (String f : List.of("remoteIpBlocks", "notRemoteIpBlocks")) {
            out.add(yes(SOURCE + f, "the client address `X-Forwarded-For` gives; HTTP only"));
        }
        for (String f : List.of("requestPrincipals", "notRequestPrincipals")) {
            out.add(yes(SOURCE + f, "`<iss>/<sub>` of the verified JWT (RequestAuthentication's filter; no token: none);"
                    + " HTTP only"));
        }
        for (String f : List.of("hosts", "notHosts", "methods", "notMethods")) {
            out.add(yes(OPERATION + f, "HTTP only"));
        }
        for (String f : List.of("paths", "notPaths")) {
            out.add(yes(OPERATION + f, "exact, `x*`, `*x`, `*`; `{*}`/`{**}` as URI templates (one segment / any"
                    + " rest); HTTP only"));
        }
        for (String f : List.of("ports", "notPorts")) {
            out.add(yes(OPERATION + f, "the destination port"));
        }
        out.add(new FieldRow(AP, RULE + ".when[].key", "a request, source or destination attribute", YES, NO,
                "`request.headers[...]`, `source.ip`, `remote.ip`, `source.namespace`, `source.principal`,"
                        + " `source.serviceAccount`, `source.trustDomain`, `destination.ip`, `destination.port`,"
                        + " `connection.sni`, `request.auth.principal`, `request.auth.audiences`,"
                        + " `request.auth.presenter`, `request.auth.claims[...]` (" + JWT + ")",
                When.not(METADATA_KEY)));
        out.add(no(RULE + ".when[].key", "`experimental.*` filter metadata", METADATA_KEY,
                "metadata of filters meshlog does not build"));
        out.add(yes(RULE + ".when[].values", ""));
        out.add(yes(RULE + ".when[].notValues", ""));
    }

    private static FieldRow yes(String path, String note) {
        return new FieldRow(AP, path, "", YES, NO, note, When.WRITTEN);
    }

    private static FieldRow no(String path, String variant, When when, String note) {
        return new FieldRow(AP, path, variant, NO, NO, note, when);
    }
}
