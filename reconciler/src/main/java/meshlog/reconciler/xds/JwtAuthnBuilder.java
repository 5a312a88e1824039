package meshlog.reconciler.xds;

import com.google.protobuf.Empty;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtClaimToHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementAndList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementOrList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RemoteJwks;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RequirementRule;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.ListMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.OrMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import meshlog.reconciler.ir.JwksClusterIr;
import meshlog.reconciler.ir.JwtAuthnIr;
import meshlog.reconciler.ir.RbacMatchIr;
import meshlog.reconciler.ir.RbacPrincipalIr;

/**
 * {@link JwtAuthnIr} as Envoy's {@code envoy.filters.http.jwt_authn}, as Istio's {@code authn} policy applier
 * writes it: one rule for every path; with one provider it requires that provider or no token
 * ({@code allow_missing}); with several, any one of them, or for each provider its token or none (so a request
 * whose tokens all verify passes, and one with a bad token for any provider fails). CORS preflights bypass the
 * check. The verified payload goes to dynamic metadata under {@code payload}, where the RBAC filter's claim
 * matchers ({@link #claim}) read it. Also the clusters of remote JWK sets.
 */
final class JwtAuthnBuilder {

    static final String FILTER = "envoy.filters.http.jwt_authn";
    /** How long Envoy keeps a fetched JWK set: 5 minutes, Envoy's default and Istio's refresh interval. */
    private static final com.google.protobuf.Duration CACHE = com.google.protobuf.Duration.newBuilder()
            .setSeconds(300).build();
    /** Istio's default fetch timeout when the rule gives none. */
    private static final com.google.protobuf.Duration FETCH_TIMEOUT = com.google.protobuf.Duration.newBuilder()
            .setSeconds(5).build();
    /** Istio normalizes these claims always, besides a rule's {@code spaceDelimitedClaims}. */
    private static final List<String> SPACE_DELIMITED = List.of("scope", "permission");

    private JwtAuthnBuilder() {
    }

    static HttpFilter http(JwtAuthnIr ir) {
        JwtAuthentication.Builder config = JwtAuthentication.newBuilder().setBypassCorsPreflight(true);
        List<JwtRequirement> each = new ArrayList<>();
        List<JwtRequirement> any = new ArrayList<>();
        for (JwtAuthnIr.Provider p : ir.providers()) {
            config.putProviders(p.name(), provider(p));
            JwtRequirement named = JwtRequirement.newBuilder().setProviderName(p.name()).build();
            any.add(named);
            each.add(JwtRequirement.newBuilder().setRequiresAny(JwtRequirementOrList.newBuilder()
                    .addRequirements(named)
                    .addRequirements(JwtRequirement.newBuilder().setAllowMissing(Empty.getDefaultInstance())))
                    .build());
        }
        JwtRequirement requires = each.get(0);
        if (each.size() > 1) {
            any.add(JwtRequirement.newBuilder().setRequiresAll(JwtRequirementAndList.newBuilder()
                    .addAllRequirements(each)).build());
            requires = JwtRequirement.newBuilder().setRequiresAny(JwtRequirementOrList.newBuilder()
                    .addAllRequirements(any)).build();
        }
        config.addRules(RequirementRule.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRequires(requires));
        return HttpFilter.newBuilder().setName(FILTER).setTypedConfig(Protos.pack(config.build())).build();
    }

    private static JwtProvider provider(JwtAuthnIr.Provider p) {
        JwtProvider.Builder b = JwtProvider.newBuilder().setIssuer(p.issuer()).addAllAudiences(p.audiences())
                .setForward(p.forward()).setForwardPayloadHeader(p.forwardPayloadHeader())
                .setPayloadInMetadata(JwtAuthnIr.PAYLOAD_KEY)
                .addAllFromParams(p.fromParams()).addAllFromCookies(p.fromCookies());
        p.fromHeaders().forEach(h -> b.addFromHeaders(JwtHeader.newBuilder().setName(h.name())
                .setValuePrefix(h.prefix())));
        p.claimToHeaders().forEach(c -> b.addClaimToHeaders(JwtClaimToHeader.newBuilder()
                .setHeaderName(c.header()).setClaimName(c.claim())));
        List<String> spaceDelimited = new ArrayList<>(SPACE_DELIMITED);
        p.spaceDelimitedClaims().stream().filter(c -> !spaceDelimited.contains(c)).forEach(spaceDelimited::add);
        b.setNormalizePayloadInMetadata(JwtProvider.NormalizePayload.newBuilder()
                .addAllSpaceDelimitedClaims(spaceDelimited));
        if (p.jwks() instanceof JwtAuthnIr.Inline inline) {
            b.setLocalJwks(DataSource.newBuilder().setInlineString(inline.json()));
        } else if (p.jwks() instanceof JwtAuthnIr.Remote remote) {
            b.setRemoteJwks(RemoteJwks.newBuilder().setCacheDuration(CACHE).setHttpUri(HttpUri.newBuilder()
                    .setUri(remote.uri()).setCluster(remote.cluster())
                    .setTimeout(remote.timeout() == null ? FETCH_TIMEOUT : Protos.duration(remote.timeout()))));
        } else {
            throw new AssertionError(p.jwks());
        }
        return b.build();
    }

    /**
     * A claim condition as the RBAC metadata matcher Istio writes: filter {@code jwt_authn}, path
     * {@code payload} then the claim's keys; the value one of the strings, or (for list claims) a list holding one.
     */
    static MetadataMatcher claim(RbacPrincipalIr.JwtClaim c, Function<RbacMatchIr, StringMatcher> string) {
        MetadataMatcher.Builder m = MetadataMatcher.newBuilder().setFilter(FILTER)
                .addPath(MetadataMatcher.PathSegment.newBuilder().setKey(JwtAuthnIr.PAYLOAD_KEY));
        c.path().forEach(k -> m.addPath(MetadataMatcher.PathSegment.newBuilder().setKey(k)));
        List<ValueMatcher> strings = c.values().stream()
                .map(v -> ValueMatcher.newBuilder().setStringMatch(string.apply(v)).build()).toList();
        ValueMatcher oneString = strings.size() == 1 ? strings.get(0)
                : ValueMatcher.newBuilder().setOrMatch(OrMatcher.newBuilder().addAllValueMatchers(strings)).build();
        if (!c.orListItem()) {
            return m.setValue(oneString).build();
        }
        ValueMatcher inList = ValueMatcher.newBuilder().setListMatch(ListMatcher.newBuilder().setOneOf(oneString))
                .build();
        return m.setValue(ValueMatcher.newBuilder().setOrMatch(OrMatcher.newBuilder()
                .addValueMatchers(inList).addValueMatchers(oneString))).build();
    }

    /** The cluster a remote JWK set is fetched through: DNS, or the address as written; TLS for https. */
    static Cluster cluster(JwksClusterIr ir) {
        Cluster.Builder c = Cluster.newBuilder().setName(ir.name()).setConnectTimeout(ClusterBuilder.CONNECT_TIMEOUT)
                .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(ir.name())
                        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                                .setEndpoint(Endpoint.newBuilder().setAddress(
                                        io.envoyproxy.envoy.config.core.v3.Address.newBuilder().setSocketAddress(
                                                SocketAddress.newBuilder().setAddress(ir.host())
                                                        .setPortValue(ir.port())))))));
        if (literal(ir.host())) {
            c.setType(Cluster.DiscoveryType.STATIC);
        } else {
            c.setClusterType(Cluster.CustomClusterType.newBuilder().setName(ClusterBuilder.DNS_CLUSTER)
                    .setTypedConfig(Protos.pack(ClusterBuilder.dnsCluster(
                            meshlog.reconciler.ir.EndpointSource.STRICT_DNS))));
        }
        if (ir.tls()) {
            // The JWKS server is outside the mesh: its certificate is checked against the system's roots.
            c.setTransportSocket(TlsContexts.tls(UpstreamTlsContext.newBuilder().setSni(ir.host())
                    .setCommonTlsContext(CommonTlsContext.newBuilder().setValidationContext(
                            CertificateValidationContext.newBuilder().setSystemRootCerts(
                                    CertificateValidationContext.SystemRootCerts.getDefaultInstance())))
                    .build()));
        }
        return c.build();
    }

    private static boolean literal(String host) {
        return host.contains(":") || host.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
    }
}
