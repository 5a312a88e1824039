package meshlog.gatewayapi.virtualservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.Body;
import meshlog.gatewayapi.model.VirtualService.DerivePort;
import meshlog.gatewayapi.model.VirtualService.Destination;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.UnmatchedPreflights;
import meshlog.gatewayapi.parse.ConfigParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A VirtualService using every field Istio defines is read back exactly, with no errors. */
class VirtualServiceReadTest {

    static final String CONTEXT = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: shop}
            spec:
              host: reviews
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: ingress, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*/*"]}]
            """;

    static final String EVERY_FIELD = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: shop}
            spec:
              hosts: [reviews, "*.example.com"]
              gateways: [mesh, istio-system/ingress]
              exportTo: [".", other]
              http:
              - name: full
                match:
                - name: jason
                  uri: {prefix: /api/}
                  scheme: {exact: https}
                  method: {regex: "GET|HEAD"}
                  authority: {prefix: reviews}
                  headers:
                    end-user: {exact: jason}
                    x-present: {}
                  withoutHeaders:
                    x-debug: {}
                    x-canary: {regex: "*"}
                  queryParams:
                    version: {exact: v2}
                    trace: {}
                  port: 9080
                  sourceLabels: {app: productpage}
                  sourceNamespace: frontend
                  gateways: [mesh]
                  ignoreUriCase: true
                  statPrefix: jason
                route:
                - destination: {host: reviews, subset: v2, port: {number: 9080}}
                  weight: 75
                  headers:
                    request: {set: {x-version: v2}}
                - destination: {host: reviews, subset: v1}
                  weight: 25
                rewrite:
                  authority: reviews.internal
                  uriRegexRewrite: {match: "^/api/(.*)$", rewrite: "/\\\\1"}
                timeout: 1.5s
                retries:
                  attempts: 3
                  perTryTimeout: 500ms
                  retryOn: "5xx,connect-failure,503"
                  retryRemoteLocalities: true
                  retryIgnorePreviousHosts: false
                  backoff: 25ms
                fault:
                  delay: {fixedDelay: 7s, percentage: {value: 0.5}}
                  abort: {httpStatus: 503, percentage: {value: 10}}
                mirrors:
                - destination: {host: reviews, subset: v1}
                  percentage: {value: 5}
                mirrorPercentage: {value: 20}
                corsPolicy:
                  allowOrigins: [{exact: "https://example.com"}, {regex: "https://.*[.]example[.]com"}]
                  allowOrigin: ["https://legacy.example.com"]
                  allowMethods: [GET, POST]
                  allowHeaders: [x-custom, "*"]
                  exposeHeaders: [x-trace]
                  maxAge: 24h
                  allowCredentials: true
                  unmatchedPreflights: IGNORE
                headers:
                  request:
                    set: {x-route: full}
                    add: {x-hop: "%HOSTNAME%"}
                    remove: [x-internal]
                  response:
                    set: {cache-control: no-store}
                    add: {x-served-by: "100%%"}
                    remove: [server]
              - name: moved
                match: [{uri: {exact: /old}}]
                redirect: {uri: /new, authority: example.com, port: 8443, scheme: https, redirectCode: 302}
              - name: prefix-moved
                match: [{uri: {prefix: /v1/}}]
                redirect: {prefixRewrite: /v2/, derivePort: FROM_REQUEST_PORT}
              - name: teapot
                match: [{uri: {exact: /tea}}]
                directResponse: {status: 418, body: {string: "short and stout"}}
              - name: bytes
                match: [{uri: {exact: /bytes}}]
                directResponse: {status: 200, body: {bytes: "aGVsbG8="}}
              - name: grpc-fault
                match: [{uri: {prefix: /grpc/}}]
                route: [{destination: {host: reviews}}]
                fault: {abort: {grpcStatus: UNAVAILABLE, percentage: {value: 1}}}
                mirror: {host: reviews, subset: v2}
                mirrorPercent: 50
              - name: delegated
                match: [{uri: {prefix: /team/}}]
                delegate: {name: team-routes, namespace: team}
              tls:
              - match:
                - sniHosts: [api.example.com]
                  destinationSubnets: [10.0.0.0/8]
                  port: 443
                  sourceLabels: {app: client}
                  gateways: [mesh]
                  sourceNamespace: frontend
                route:
                - destination: {host: api.example.com, port: {number: 443}}
              tcp:
              - match:
                - destinationSubnets: [192.168.0.0/16, 10.1.2.3]
                  port: 3306
                  sourceSubnet: 172.16.0.0/12
                  sourceLabels: {app: db-client}
                  gateways: [mesh]
                  sourceNamespace: data
                route:
                - destination: {host: mysql.data.svc.cluster.local, port: {number: 3306}}
                  weight: 100
            """;

    private static CompiledConfig compile(String... yaml) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < yaml.length; i++) {
            files.put("f" + i + ".yaml", yaml[i].getBytes(StandardCharsets.UTF_8));
        }
        return ConfigCompiler.compile(files);
    }

    private static VirtualService read(CompiledConfig c) {
        return c.resources().stream().map(p -> p.resource()).filter(VirtualService.class::isInstance)
                .map(VirtualService.class::cast).findFirst().orElseThrow();
    }

    @Test
    void everyFieldIsAcceptedWithoutErrors() {
        CompiledConfig c = compile(CONTEXT, EVERY_FIELD);

        assertThat(c.errors()).isEmpty();
        assertThat(c.warnings()).extracting(Diagnostic::code).doesNotContain("ML0003", "ML0004", "ML0005")
                .contains("ML0011", "VS0324");
    }

    @Test
    void topLevelAndMatchReadBack() {
        VirtualService vs = read(compile(CONTEXT, EVERY_FIELD));

        assertThat(vs.hosts()).containsExactly("reviews", "*.example.com");
        assertThat(vs.gateways()).containsExactly("mesh", "istio-system/ingress");
        assertThat(vs.exportTo()).containsExactly(".", "other");
        HttpMatch m = vs.http().get(0).match().get(0);
        assertThat(m.name()).isEqualTo("jason");
        assertThat(m.uri()).isEqualTo(new StringMatch.Prefix("/api/"));
        assertThat(m.scheme()).isEqualTo(new StringMatch.Exact("https"));
        assertThat(m.method()).isEqualTo(new StringMatch.Regex("GET|HEAD"));
        assertThat(m.authority()).isEqualTo(new StringMatch.Prefix("reviews"));
        assertThat(m.headers()).containsOnlyKeys("end-user");
        assertThat(m.headersPresent()).containsExactly("x-present");
        assertThat(m.withoutHeaders()).containsEntry("x-canary", new StringMatch.Regex("*"));
        assertThat(m.withoutHeadersPresent()).containsExactly("x-debug");
        assertThat(m.queryParams()).containsEntry("version", new StringMatch.Exact("v2"));
        assertThat(m.queryParamsPresent()).containsExactly("trace");
        assertThat(m.port()).isEqualTo(9080);
        assertThat(m.sourceLabels()).containsEntry("app", "productpage");
        assertThat(m.sourceNamespace()).isEqualTo("frontend");
        assertThat(m.gateways()).containsExactly("mesh");
        assertThat(m.ignoreUriCase()).isTrue();
        assertThat(m.statPrefix()).isEqualTo("jason");
    }

    @Test
    void routeActionsAndPoliciesReadBack() {
        HttpRoute r = read(compile(CONTEXT, EVERY_FIELD)).http().get(0);

        assertThat(r.route()).extracting(d -> d.weight()).containsExactly(75, 25);
        assertThat(r.route().get(0).destination()).isEqualTo(new Destination("reviews", "v2", 9080));
        assertThat(r.route().get(0).headers().request().set()).containsEntry("x-version", "v2");
        assertThat(r.route().get(1).headers()).isNull();
        assertThat(r.rewrite().authority()).isEqualTo("reviews.internal");
        assertThat(r.rewrite().uri()).isEmpty();
        assertThat(r.rewrite().uriRegexRewrite().match()).isEqualTo("^/api/(.*)$");
        assertThat(r.rewrite().uriRegexRewrite().rewrite()).isEqualTo("/\\1");
        assertThat(r.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(r.retries().attempts()).isEqualTo(3);
        assertThat(r.retries().perTryTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(r.retries().retryOn()).isEqualTo("5xx,connect-failure,503");
        assertThat(r.retries().retryRemoteLocalities()).isTrue();
        assertThat(r.retries().retryIgnorePreviousHosts()).isFalse();
        assertThat(r.retries().backoff()).isEqualTo(Duration.ofMillis(25));
        assertThat(r.fault().delay().fixedDelay()).isEqualTo(Duration.ofSeconds(7));
        assertThat(r.fault().delay().percentage()).isEqualTo(0.5);
        assertThat(r.fault().abort().httpStatus()).isEqualTo(503);
        assertThat(r.fault().abort().percentage()).isEqualTo(10.0);
        assertThat(r.mirrors()).singleElement().satisfies(mp -> {
            assertThat(mp.destination()).isEqualTo(new Destination("reviews", "v1", 0));
            assertThat(mp.percentage()).isEqualTo(5.0);
        });
        assertThat(r.mirrorPercentage()).isEqualTo(20.0);
        assertThat(r.mirror()).isNull();
        assertThat(r.corsPolicy().allowOrigins()).containsExactly(new StringMatch.Exact("https://example.com"),
                new StringMatch.Regex("https://.*[.]example[.]com"));
        assertThat(r.corsPolicy().allowOrigin()).containsExactly("https://legacy.example.com");
        assertThat(r.corsPolicy().allowMethods()).containsExactly("GET", "POST");
        assertThat(r.corsPolicy().allowHeaders()).containsExactly("x-custom", "*");
        assertThat(r.corsPolicy().exposeHeaders()).containsExactly("x-trace");
        assertThat(r.corsPolicy().maxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(r.corsPolicy().allowCredentials()).isTrue();
        assertThat(r.corsPolicy().unmatchedPreflights()).isEqualTo(UnmatchedPreflights.IGNORE);
        assertThat(r.headers().request().add()).containsEntry("x-hop", "%HOSTNAME%");
        assertThat(r.headers().request().remove()).containsExactly("x-internal");
        assertThat(r.headers().response().set()).containsEntry("cache-control", "no-store");
        assertThat(r.headers().response().remove()).containsExactly("server");
    }

    @Test
    void redirectDirectResponseMirrorAndDelegateReadBackWithDefaults() {
        List<HttpRoute> http = read(compile(CONTEXT, EVERY_FIELD)).http();

        var moved = http.get(1).redirect();
        assertThat(moved.uri()).isEqualTo("/new");
        assertThat(moved.authority()).isEqualTo("example.com");
        assertThat(moved.port()).isEqualTo(8443);
        assertThat(moved.scheme()).isEqualTo("https");
        assertThat(moved.redirectCode()).isEqualTo(302);
        var prefix = http.get(2).redirect();
        assertThat(prefix.prefixRewrite()).isEqualTo("/v2/");
        assertThat(prefix.derivePort()).isEqualTo(DerivePort.FROM_REQUEST_PORT);
        assertThat(prefix.port()).isNull();
        assertThat(prefix.redirectCode()).as("Istio's default").isEqualTo(301);
        assertThat(http.get(3).directResponse().status()).isEqualTo(418);
        assertThat(http.get(3).directResponse().body()).isEqualTo(new Body.Text("short and stout"));
        assertThat(http.get(4).directResponse().body()).isEqualTo(new Body.Bytes("aGVsbG8="));
        assertThat(http.get(4).directResponse().body().size()).isEqualTo(5);
        HttpRoute grpc = http.get(5);
        assertThat(grpc.fault().abort().grpcStatus()).isEqualTo("UNAVAILABLE");
        assertThat(grpc.fault().delay()).isNull();
        assertThat(grpc.mirror()).isEqualTo(new Destination("reviews", "v2", 0));
        assertThat(grpc.mirrorPercent()).isEqualTo(50);
        assertThat(grpc.route().get(0).weight()).as("no weight given").isNull();
        assertThat(http.get(6).delegate().name()).isEqualTo("team-routes");
        assertThat(http.get(6).delegate().namespace()).isEqualTo("team");
        assertThat(http.get(6).route()).isEmpty();
    }

    @Test
    void tlsAndTcpRoutesReadBack() {
        VirtualService vs = read(compile(CONTEXT, EVERY_FIELD));

        var tls = vs.tls().get(0).match().get(0);
        assertThat(tls.sniHosts()).containsExactly("api.example.com");
        assertThat(tls.destinationSubnets()).containsExactly("10.0.0.0/8");
        assertThat(tls.port()).isEqualTo(443);
        assertThat(tls.sourceLabels()).containsEntry("app", "client");
        assertThat(tls.gateways()).containsExactly("mesh");
        assertThat(tls.sourceNamespace()).isEqualTo("frontend");
        assertThat(vs.tls().get(0).route().get(0).destination()).isEqualTo(new Destination("api.example.com", "",
                443));
        var tcp = vs.tcp().get(0).match().get(0);
        assertThat(tcp.destinationSubnets()).containsExactly("192.168.0.0/16", "10.1.2.3");
        assertThat(tcp.port()).isEqualTo(3306);
        assertThat(tcp.sourceSubnet()).isEqualTo("172.16.0.0/12");
        assertThat(tcp.sourceLabels()).containsEntry("app", "db-client");
        assertThat(tcp.gateways()).containsExactly("mesh");
        assertThat(tcp.sourceNamespace()).isEqualTo("data");
        assertThat(vs.tcp().get(0).route().get(0).weight()).isEqualTo(100);
    }

    @Test
    void everyFieldTheReconcilerIgnoresIsReportedOnceAtItsPath() {
        List<String> notApplied = compile(CONTEXT, EVERY_FIELD).warnings().stream()
                .filter(d -> d.code().equals("ML0011")).map(Diagnostic::path).toList();

        // What the reconciler applies since issue 7 (every match condition and route field but these, tls[] and tcp[],
        // and delegate since meshlog issue 7) is not reported.
        assertThat(notApplied).doesNotHaveDuplicates().containsExactlyInAnyOrder("spec.hosts[1]",
                "spec.http[0].route[0].headers",
                "spec.http[0].match[0].statPrefix",
                // found unapplied when the coverage table was built (the translators never read them)
                "spec.http[0].retries.retryRemoteLocalities", "spec.http[0].retries.retryIgnorePreviousHosts",
                "spec.http[0].retries.backoff", "spec.http[0].corsPolicy.unmatchedPreflights",
                "spec.http[2].redirect.derivePort");
        assertThat(notApplied).as("translated fields").noneMatch(p -> p.endsWith(".uri") || p.endsWith(".weight")
                || p.endsWith(".destination") || p.endsWith("headers.end-user") || p.equals("spec.hosts[0]")
                || p.equals("spec.gateways[0]") || p.equals("spec.gateways[1]"));
    }

    /** Istio allows routing on a JWT claim only when the VirtualService is bound to gateways, not the mesh. */
    @Test
    void aJwtClaimMatchOnAGatewayOnlyVirtualServiceIsReadAndReportedAsNotApplied() {
        String vs = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: claims, namespace: shop}
                spec:
                  hosts: [reviews.example.com]
                  gateways: [istio-system/ingress]
                  http:
                  - match: [{headers: {"@request.auth.claims.group": {exact: admin}}}]
                    route: [{destination: {host: reviews}}]
                """;
        CompiledConfig c = compile(CONTEXT, vs);

        assertThat(c.errors()).isEmpty();
        assertThat(read(c).http().get(0).match().get(0).headers()).containsOnlyKeys("@request.auth.claims.group");
        assertThat(c.warnings()).filteredOn(d -> d.code().equals("ML0011")).extracting(Diagnostic::path)
                .contains("spec.http[0].match[0].headers.@request.auth.claims.group");
    }

    @Test
    void theReconcilersOwnFieldsGiveNoDiagnosticAtAll() {
        String vs = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: shop}
                spec:
                  hosts: [reviews]
                  gateways: [mesh]
                  http:
                  - name: canary
                    match:
                    - name: jason
                      uri: {regex: "/api/v[0-9]+/.*"}
                      headers: {end-user: {exact: jason}, x-tier: {prefix: gold}, x-id: {regex: "[a-f0-9]+"}}
                    route:
                    - destination: {host: reviews, subset: v2, port: {number: 9080}}
                      weight: 90
                    - destination: {host: reviews, subset: v1, port: {number: 9080}}
                      weight: 10
                  - route: [{destination: {host: reviews, subset: v1}}]
                """;

        assertThat(compile(CONTEXT, vs).diagnostics()).extracting(Diagnostic::code).doesNotContain("ML0011")
                .allMatch(code -> !code.startsWith("VS"));
    }

    @Test
    void jsonStoredInTheLogReadsBackToTheSameObject() {
        CompiledConfig c = compile(CONTEXT, EVERY_FIELD);
        var p = c.resources().stream().filter(r -> r.resource() instanceof VirtualService).findFirst()
                .orElseThrow();

        var again = ConfigParser.parseJson(p.file(), p.json());

        assertThat(again.diagnostics()).isEmpty();
        assertThat(again.resources()).singleElement().extracting(r -> r.resource()).isEqualTo(p.resource());
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual-service-all-v1.yaml", "virtual-service-details-v2.yaml",
            "virtual-service-ratings-db.yaml", "virtual-service-ratings-mysql-vm.yaml",
            "virtual-service-ratings-mysql.yaml", "virtual-service-ratings-test-abort.yaml",
            "virtual-service-ratings-test-delay.yaml", "virtual-service-reviews-50-v3.yaml",
            "virtual-service-reviews-80-20.yaml", "virtual-service-reviews-90-10.yaml",
            "virtual-service-reviews-jason-v2-v3.yaml", "virtual-service-reviews-test-v2.yaml",
            "virtual-service-reviews-v2-v3.yaml", "virtual-service-reviews-v3.yaml", "bookinfo-gateway.yaml",
            "fault-injection-details-v1.yaml"})
    void istiosBookinfoSamplesAreAccepted(String file) throws IOException {
        byte[] sample = resource("istio/bookinfo/networking/" + file);
        boolean ownRules = new String(sample, StandardCharsets.UTF_8).contains("kind: DestinationRule");
        CompiledConfig c = ConfigCompiler.compile(ownRules ? Map.of(file, sample) : Map.of(file, sample,
                "rules.yaml", resource("istio/bookinfo/networking/destination-rule-all.yaml")));

        assertThat(c.errors()).isEmpty();
        assertThat(c.resources()).anyMatch(p -> p.resource() instanceof VirtualService);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = VirtualServiceReadTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
