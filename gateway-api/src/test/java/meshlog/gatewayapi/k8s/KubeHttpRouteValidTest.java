package meshlog.gatewayapi.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import meshlog.gatewayapi.model.KubeHttpRoute;
import meshlog.gatewayapi.model.KubeHttpRoute.PathMatch;
import meshlog.gatewayapi.model.KubeHttpRoute.PathType;
import meshlog.gatewayapi.model.KubeRouteFilter;
import meshlog.gatewayapi.model.KubeRouteFilter.PathModifier;
import meshlog.gatewayapi.model.KubeRouteFilter.PathModifierType;
import meshlog.gatewayapi.model.KubeRouteParts.BackendObjectRef;
import meshlog.gatewayapi.model.KubeRouteParts.Fraction;
import meshlog.gatewayapi.model.KubeRouteParts.Header;
import meshlog.gatewayapi.model.KubeRouteParts.LocalRef;
import meshlog.gatewayapi.model.KubeRouteParts.ParentRef;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatch;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatchType;
import org.junit.jupiter.api.Test;

/** An HTTPRoute using every field meshlog models is accepted and reads as written, with the CRD's defaults. */
class KubeHttpRouteValidTest {

    static final String ROUTE = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: shop, namespace: web}
            spec:
              parentRefs:
              - name: edge
                namespace: infra
                sectionName: https
              - {name: edge, namespace: infra, sectionName: http, port: 80}
              - {group: "", kind: Service, name: shop, port: 8080}
              hostnames: [shop.example.com, "*.shop.example.com"]
              rules:
              - name: api
                matches:
                - path: {type: PathPrefix, value: /api}
                  headers:
                  - {name: x-version, value: v2}
                  - {type: RegularExpression, name: x-user, value: "^(alice|bob)$"}
                  queryParams:
                  - {name: debug, value: "1"}
                  method: GET
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: x-env, value: prod}]
                    add: [{name: x-trace, value: "on"}]
                    remove: [x-internal]
                - type: ResponseHeaderModifier
                  responseHeaderModifier:
                    set: [{name: cache-control, value: no-store}]
                - type: URLRewrite
                  urlRewrite:
                    hostname: api.internal
                    path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}
                - type: RequestMirror
                  requestMirror:
                    backendRef: {name: shop-canary, port: 8080}
                    percent: 10
                - type: RequestMirror
                  requestMirror:
                    backendRef: {name: shop-audit, namespace: audit, port: 8080}
                    fraction: {numerator: 1}
                - type: CORS
                  cors:
                    allowOrigins: ["https://shop.example.com", "https://*.example.com:8443"]
                    allowCredentials: true
                    allowMethods: [GET, POST]
                    allowHeaders: [x-version]
                    exposeHeaders: [x-request-id]
                    maxAge: 600
                - type: ExtensionRef
                  extensionRef: {group: networking.example.com, kind: RateLimit, name: gentle}
                backendRefs:
                - name: shop-v1
                  port: 8080
                  weight: 90
                - name: shop-v2
                  namespace: web
                  port: 8080
                  weight: 10
                  filters:
                  - type: RequestHeaderModifier
                    requestHeaderModifier:
                      set: [{name: x-canary, value: "true"}]
                - {group: example.com, kind: Bucket, name: static}
                timeouts: {request: 1m0s, backendRequest: 10s}
                retry: {codes: [503, 504], attempts: 3, backoff: 100ms}
              - matches:
                - path: {type: Exact, value: /old}
                - path: {type: RegularExpression, value: "/legacy/.*"}
                filters:
                - type: RequestRedirect
                  requestRedirect:
                    scheme: https
                    hostname: new.example.com
                    path: {type: ReplaceFullPath, replaceFullPath: /new}
                    port: 443
                    statusCode: 301
              - backendRefs:
                - {name: fallback, port: 80}
            """;

    @Test
    void everyFieldReadsAsWritten() {
        KubeHttpRoute route = KubeYaml.readClean(ROUTE, KubeHttpRoute.class);

        assertThat(route.parentRefs()).containsExactly(
                new ParentRef("gateway.networking.k8s.io", "Gateway", "infra", "edge", "https", null),
                new ParentRef("gateway.networking.k8s.io", "Gateway", "infra", "edge", "http", 80),
                new ParentRef("", "Service", null, "shop", null, 8080));
        assertThat(route.parentRefs().get(2).isService()).isTrue();
        assertThat(route.parentRefs().get(2).namespaceOr("web")).isEqualTo("web");
        assertThat(route.hostnames()).containsExactly("shop.example.com", "*.shop.example.com");
        assertThat(route.rules()).hasSize(3);

        var api = route.rules().get(0);
        assertThat(api.name()).isEqualTo("api");
        var match = api.matches().get(0);
        assertThat(match.path()).isEqualTo(new PathMatch(PathType.PathPrefix, "/api"));
        assertThat(match.headers()).containsExactly(new ValueMatch(ValueMatchType.Exact, "x-version", "v2"),
                new ValueMatch(ValueMatchType.RegularExpression, "x-user", "^(alice|bob)$"));
        assertThat(match.queryParams()).containsExactly(new ValueMatch(ValueMatchType.Exact, "debug", "1"));
        assertThat(match.method()).isEqualTo("GET");
        assertThat(api.filters()).extracting(KubeRouteFilter::type).containsExactly("RequestHeaderModifier",
                "ResponseHeaderModifier", "URLRewrite", "RequestMirror", "RequestMirror", "CORS", "ExtensionRef");
        var headers = (KubeRouteFilter.RequestHeaderModifier) api.filters().get(0);
        assertThat(headers.modifier().set()).containsExactly(new Header("x-env", "prod"));
        assertThat(headers.modifier().add()).containsExactly(new Header("x-trace", "on"));
        assertThat(headers.modifier().remove()).containsExactly("x-internal");
        assertThat(api.filters().get(2)).isEqualTo(new KubeRouteFilter.UrlRewrite("api.internal",
                new PathModifier(PathModifierType.ReplacePrefixMatch, null, "/v2")));
        assertThat(api.filters().get(3)).isEqualTo(new KubeRouteFilter.RequestMirror(
                new BackendObjectRef("", "Service", "shop-canary", null, 8080), 10, null));
        assertThat(((KubeRouteFilter.RequestMirror) api.filters().get(4)).fraction())
                .as("denominator defaults to 100").isEqualTo(new Fraction(1, 100));
        assertThat(api.filters().get(5)).isEqualTo(new KubeRouteFilter.Cors(
                List.of("https://shop.example.com", "https://*.example.com:8443"), true, List.of("GET", "POST"),
                List.of("x-version"), List.of("x-request-id"), 600));
        assertThat(api.filters().get(6)).isEqualTo(new KubeRouteFilter.ExtensionRef(
                new LocalRef("networking.example.com", "RateLimit", "gentle")));

        assertThat(api.backendRefs()).extracting(b -> b.name() + ":" + b.weight())
                .containsExactly("shop-v1:90", "shop-v2:10", "static:1");
        assertThat(api.backendRefs().get(1).namespaceOr("x")).isEqualTo("web");
        assertThat(api.backendRefs().get(1).filters()).hasSize(1);
        assertThat(api.backendRefs().get(2).ref().isService()).isFalse();
        assertThat(api.backendRefs().get(2).port()).isNull();
        assertThat(api.timeouts().request()).isEqualTo(Duration.ofMinutes(1));
        assertThat(api.timeouts().backendRequest()).isEqualTo(Duration.ofSeconds(10));
        assertThat(api.retry().codes()).containsExactly(503, 504);
        assertThat(api.retry().attempts()).isEqualTo(3);
        assertThat(api.retry().backoff()).isEqualTo(Duration.ofMillis(100));

        var redirect = route.rules().get(1);
        assertThat(redirect.matches()).extracting(KubeHttpRoute.Match::path).containsExactly(
                new PathMatch(PathType.Exact, "/old"), new PathMatch(PathType.RegularExpression, "/legacy/.*"));
        assertThat(redirect.filters()).containsExactly(new KubeRouteFilter.RequestRedirect("https",
                "new.example.com", new PathModifier(PathModifierType.ReplaceFullPath, "/new", null), 443, 301));
    }

    @Test
    void defaultsAreTheCrdDefaults() {
        KubeHttpRoute route = KubeYaml.readClean(ROUTE, KubeHttpRoute.class);

        var fallback = route.rules().get(2);
        assertThat(fallback.name()).isNull();
        assertThat(fallback.matches()).singleElement().satisfies(m -> {
            assertThat(m.path()).isEqualTo(new PathMatch(PathType.PathPrefix, "/"));
            assertThat(m.headers()).isEmpty();
            assertThat(m.method()).isNull();
        });
        assertThat(fallback.timeouts()).isNull();
        assertThat(fallback.retry()).isNull();
        assertThat(((KubeRouteFilter.Cors) route.rules().get(0).filters().get(5)).maxAge()).isEqualTo(600);
    }

    @Test
    void aRouteWithoutRulesMatchesEveryPathAndARedirectDefaultsTo302() {
        KubeHttpRoute route = KubeYaml.readClean("""
                apiVersion: gateway.networking.k8s.io/v1beta1
                kind: HTTPRoute
                metadata: {name: redirect}
                spec:
                  parentRefs: [{name: edge}]
                  rules:
                  - matches: [{path: {value: /x}}, {headers: [{name: a, value: b}]}]
                    filters:
                    - type: RequestRedirect
                      requestRedirect: {scheme: https}
                """, KubeHttpRoute.class);

        var rule = route.rules().get(0);
        assertThat(rule.matches().get(0).path()).isEqualTo(new PathMatch(PathType.PathPrefix, "/x"));
        assertThat(rule.matches().get(1).path()).isEqualTo(new PathMatch(PathType.PathPrefix, "/"));
        assertThat(((KubeRouteFilter.RequestRedirect) rule.filters().get(0)).statusCode()).isEqualTo(302);

        KubeHttpRoute empty = KubeYaml.compile("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: empty}
                spec:
                  parentRefs: [{name: edge}]
                """).resources().stream().map(p -> (KubeHttpRoute) p.resource()).findFirst().orElseThrow();
        assertThat(empty.rules()).singleElement().satisfies(r ->
                assertThat(r.matches().get(0).path()).isEqualTo(PathMatch.ROOT));
    }

    @Test
    void durationsFollowGep2257() {
        var c = KubeYaml.compile("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: t}
                spec:
                  rules:
                  - backendRefs: [{name: a, port: 80}]
                    timeouts: {request: 1h30m, backendRequest: 1.5s}
                """);

        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("HR0230");
            assertThat(d.path()).isEqualTo("spec.rules[0].timeouts.backendRequest");
        });
        KubeHttpRoute route = (KubeHttpRoute) c.resources().get(0).resource();
        assertThat(route.rules().get(0).timeouts().request()).isEqualTo(Duration.ofMinutes(90));
        assertThat(route.rules().get(0).timeouts().backendRequest()).isNull();
    }
}
