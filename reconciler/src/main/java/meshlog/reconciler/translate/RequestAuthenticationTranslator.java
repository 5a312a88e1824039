package meshlog.reconciler.translate;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.RequestAuthentication;
import meshlog.gatewayapi.model.RequestAuthentication.JwtRule;
import meshlog.reconciler.ir.ClusterIr;
import meshlog.reconciler.ir.InboundChainIr;
import meshlog.reconciler.ir.InboundListenerIr;
import meshlog.reconciler.ir.JwksClusterIr;
import meshlog.reconciler.ir.JwtAuthnIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.VirtualInboundIr;

/**
 * The RequestAuthentications of one Envoy sidecar as the JWT checks of its inbound HTTP chains, as Istio's
 * {@code authn} policy applier builds them:
 *
 * <ul>
 *   <li>Which policies apply: as for AuthorizationPolicy ({@link AuthorizationPolicyTranslator#selects}): the
 *       root namespace's without a selector, the workload namespace's without one, and those whose
 *       {@code selector} the workload's labels match. The {@code jwtRules} of all of them are merged, policy by
 *       policy (by namespace and name; Istio orders by creation time, which git does not have), into one
 *       {@code jwt_authn} filter, provider {@code origins-<i>} per rule.</li>
 *   <li>A rule's keys: its inline {@code jwks}, or its {@code jwksUri}, which Envoy fetches itself through a cluster
 *       to the URI's host and port ({@code outbound|<port>||<host>}; the mesh's own cluster of that name when a
 *       ServiceEntry or Service declares the host, as Istio's remote-JWKS mode does, else one added here).
 *       Istio's default instead has istiod fetch the set and inline it; meshlog's reconciler reads git and the
 *       log only, so the proxy fetches.</li>
 *   <li>TCP chains get no JWT checks: a token is an HTTP header.</li>
 * </ul>
 */
final class RequestAuthenticationTranslator {

    private RequestAuthenticationTranslator() {
    }

    /** The sidecar's listeners with the JWT checks on their HTTP chains, and its clusters with the JWKS ones. */
    record Applied(List<ListenerIr> listeners, List<ClusterIr> clusters) {
    }

    static Applied apply(List<ListenerIr> listeners, List<ClusterIr> clusters, List<RequestAuthentication> policies,
                         ProxyScope scope) {
        List<JwtRule> rules = policies.stream()
                .filter(p -> AuthorizationPolicyTranslator.selects(p.metadata().namespace(), p.target(), scope))
                .sorted(Comparator.comparing(RequestAuthentication::key))
                .flatMap(p -> p.jwtRules().stream()).toList();
        if (rules.isEmpty()) {
            return new Applied(listeners, clusters);
        }
        Set<String> known = clusters.stream().map(ClusterIr::name).collect(Collectors.toSet());
        Map<String, ClusterIr> added = new TreeMap<>();
        List<JwtAuthnIr.Provider> providers = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            providers.add(provider("origins-" + i, rules.get(i), known, added));
        }
        JwtAuthnIr jwt = new JwtAuthnIr(providers);
        List<ListenerIr> out = listeners.stream().map(l -> {
            if (l instanceof VirtualInboundIr v) {
                return v.withChains(v.chains().stream().map(c -> with(c, jwt)).toList());
            } else if (l instanceof InboundListenerIr b) {
                return new InboundListenerIr(b.name(), b.address(), b.port(), with(b.chain(), jwt));
            }
            return l;
        }).toList();
        List<ClusterIr> all = new ArrayList<>(clusters);
        all.addAll(added.values());
        all.sort(Comparator.comparing(ClusterIr::name));
        return new Applied(out, all);
    }

    private static InboundChainIr with(InboundChainIr chain, JwtAuthnIr jwt) {
        return chain.http() ? chain.withJwt(jwt) : chain;
    }

    private static JwtAuthnIr.Provider provider(String name, JwtRule rule, Set<String> known,
                                                Map<String, ClusterIr> added) {
        JwtAuthnIr.Jwks jwks;
        if (rule.jwks() != null) {
            jwks = new JwtAuthnIr.Inline(rule.jwks());
        } else if (rule.jwksUri() != null) {
            JwksClusterIr cluster = cluster(rule.jwksUri());
            if (!known.contains(cluster.name())) {
                added.putIfAbsent(cluster.name(), cluster);
            }
            jwks = new JwtAuthnIr.Remote(rule.jwksUri(), cluster.name(), rule.timeout());
        } else {
            // Refused by validation (Istio's OpenID discovery from the issuer runs in istiod, not in Envoy).
            throw new IllegalStateException("jwtRule of issuer " + rule.issuer() + " has neither jwks nor jwksUri");
        }
        return new JwtAuthnIr.Provider(name, rule.issuer() == null ? "" : rule.issuer(), rule.audiences(), jwks,
                rule.fromHeaders().stream().map(h -> new JwtAuthnIr.TokenHeader(h.name(), h.prefix())).toList(),
                rule.fromParams(), rule.fromCookies(), rule.forwardOriginalToken(),
                rule.outputPayloadToHeader() == null ? "" : rule.outputPayloadToHeader(),
                rule.outputClaimToHeaders().stream().map(c -> new JwtAuthnIr.ClaimHeader(c.header(), c.claim()))
                        .toList(), rule.spaceDelimitedClaims());
    }

    /** The cluster of a validated {@code http(s)://host[:port]/...} URI; the scheme's port when none is given. */
    static JwksClusterIr cluster(String jwksUri) {
        URI uri = URI.create(jwksUri);
        boolean tls = uri.getScheme().toLowerCase(Locale.ROOT).equals("https");
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        return JwksClusterIr.of(host, port, tls);
    }
}
