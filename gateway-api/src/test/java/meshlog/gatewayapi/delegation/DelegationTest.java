package meshlog.gatewayapi.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.delegation.Delegation.Reason;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.parse.ParsedResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Delegation merged as Istio merges it: the cases of Istio's {@code TestMergeHTTPMatchRequests},
 * {@code TestHasConflict}, {@code TestMergeHttpRoutes} and {@code TestMergeVirtualServices}
 * ({@code pilot/pkg/model/virtualservice_test.go}) as YAML, with Istio's expected results.
 */
class DelegationTest {

    /** Match entries: root's {@code match}, the delegate route's, and the merged result (null: Istio drops it). */
    static Stream<Arguments> matchCases() {
        return Stream.of(
                // TestMergeHTTPMatchRequests
                Arguments.of("url match", "[{uri: {prefix: /productpage}}]", "[{uri: {exact: /productpage/v1}}]",
                        "[{uri: {exact: /productpage/v1}}]"),
                Arguments.of("url regex noconflict", "[{uri: {regex: ^/productpage}}]", "[{}]",
                        "[{uri: {regex: ^/productpage}}]"),
                Arguments.of("url regex conflict", "[{uri: {regex: ^/productpage}}]",
                        "[{uri: {prefix: /productpage}}]", null),
                Arguments.of("multi url match", "[{uri: {prefix: /productpage}}, {uri: {prefix: /reviews}}]",
                        "[{uri: {exact: /productpage/v1}}, {uri: {exact: /reviews/v1}}]",
                        "[{uri: {exact: /productpage/v1}}, {uri: {exact: /reviews/v1}}]"),
                Arguments.of("url mismatch", "[{uri: {prefix: /productpage}}]", "[{uri: {exact: /reviews}}]", null),
                Arguments.of("one delegate entry of two conflicts", "[{uri: {prefix: /productpage}}]",
                        "[{uri: {exact: /productpage/v1}}, {uri: {exact: /reviews}}]", null),
                Arguments.of("headers, no delegate match", "[{headers: {header: {exact: h1}}}]", "[]",
                        "[{headers: {header: {exact: h1}}}]"),
                Arguments.of("headers conflict", "[{headers: {header: {exact: h1}}}]",
                        "[{headers: {header: {exact: h2}}}]", null),
                Arguments.of("headers union", "[{headers: {header: {exact: h1}}}]",
                        "[{headers: {header-2: {exact: h2}}}]",
                        "[{headers: {header: {exact: h1}, header-2: {exact: h2}}}]"),
                Arguments.of("complicated merge",
                        "[{uri: {prefix: /productpage}, headers: {header: {exact: h1}}, port: 8080,"
                                + " authority: {exact: productpage.com}}]",
                        "[{uri: {exact: /productpage/v1}}, {uri: {exact: /productpage/v2}}]",
                        "[{uri: {exact: /productpage/v1}, headers: {header: {exact: h1}}, port: 8080,"
                                + " authority: {exact: productpage.com}},"
                                + " {uri: {exact: /productpage/v2}, headers: {header: {exact: h1}}, port: 8080,"
                                + " authority: {exact: productpage.com}}]"),
                Arguments.of("conflicted merge",
                        "[{uri: {prefix: /productpage}, headers: {header: {exact: h1}}, port: 8080,"
                                + " authority: {exact: productpage.com}}]",
                        "[{uri: {exact: /productpage/v1}}, {uri: {exact: /productpage/v2}, port: 9090}]", null),
                Arguments.of("gateway merge", "[{uri: {prefix: /productpage}, gateways: [ingress-gateway, mesh]}]",
                        "[{uri: {exact: /productpage/v1}, gateways: [ingress-gateway]},"
                                + " {uri: {exact: /productpage/v2}, gateways: [mesh]}]",
                        "[{uri: {exact: /productpage/v1}, gateways: [default/ingress-gateway]},"
                                + " {uri: {exact: /productpage/v2}, gateways: [mesh]}]"),
                Arguments.of("gateway conflicted merge", "[{uri: {prefix: /productpage}, gateways: [ingress-gateway]}]",
                        "[{uri: {exact: /productpage/v1}, gateways: [ingress-gateway]},"
                                + " {uri: {exact: /productpage/v2}, gateways: [mesh]}]", null),
                Arguments.of("source labels merge", "[{sourceLabels: {app: test}}]",
                        "[{sourceLabels: {version: v1}}]", "[{sourceLabels: {app: test, version: v1}}]"),
                // TestHasConflict
                Arguments.of("regex uri in delegate, root has no uri", "[{port: 8080}]",
                        "[{uri: {regex: ^/productpage}}]", "[{uri: {regex: ^/productpage}, port: 8080}]"),
                Arguments.of("regex uri in delegate, root has a prefix", "[{uri: {prefix: /productpage}}]",
                        "[{uri: {regex: ^/productpage}}]", null),
                Arguments.of("narrower prefix", "[{uri: {prefix: /productpage}}]",
                        "[{uri: {prefix: /productpage/v2}}]", "[{uri: {prefix: /productpage/v2}}]"),
                Arguments.of("wider prefix", "[{uri: {prefix: /productpage/v2}}]", "[{uri: {prefix: /productpage}}]",
                        null),
                Arguments.of("exact within prefix", "[{uri: {prefix: /productpage/v2}}]",
                        "[{uri: {exact: /productpage/v2}}]", "[{uri: {exact: /productpage/v2}}]"),
                Arguments.of("headers equal", "[{headers: {header: {exact: h1}}}]",
                        "[{headers: {header: {exact: h1}}}]", "[{headers: {header: {exact: h1}}}]"),
                Arguments.of("header exact within prefix", "[{headers: {header: {prefix: h1}}}]",
                        "[{headers: {header: {exact: h1-v1}}}]", "[{headers: {header: {exact: h1-v1}}}]"),
                Arguments.of("header exact outside prefix", "[{headers: {header: {prefix: h1}}}]",
                        "[{headers: {header: {exact: h2}}}]", null),
                Arguments.of("header prefix outside prefix", "[{headers: {header: {prefix: h1}}}]",
                        "[{headers: {header: {prefix: h2}}}]", null),
                Arguments.of("withoutHeaders mismatch", "[{withoutHeaders: {header: {prefix: h1}}}]",
                        "[{withoutHeaders: {header: {exact: h2}}}]", null),
                Arguments.of("port only in delegate", "[{uri: {prefix: /}}]", "[{port: 8080}]",
                        "[{uri: {prefix: /}, port: 8080}]"),
                Arguments.of("port only in root", "[{port: 8080}]", "[{uri: {prefix: /a}}]",
                        "[{uri: {prefix: /a}, port: 8080}]"),
                Arguments.of("ports differ", "[{port: 8080}]", "[{port: 8090}]", null),
                Arguments.of("sourceLabels mismatch", "[{sourceLabels: {a: b}}]", "[{sourceLabels: {a: c}}]", null),
                Arguments.of("sourceNamespace mismatch", "[{sourceNamespace: test1}]",
                        "[{sourceNamespace: test2}]", null),
                Arguments.of("root has fewer gateways than delegate", "[{gateways: [ingress-gateway]}]",
                        "[{gateways: [ingress-gateway, mesh]}]", null),
                // stringMatchConflict's last line: a presence match ({}) on either side conflicts with a value
                Arguments.of("presence in root, value in delegate", "[{headers: {x: {}}}]",
                        "[{headers: {x: {exact: a}}}]", null),
                Arguments.of("presence on both sides", "[{headers: {x: {}}}]", "[{headers: {x: {}}}]", null),
                Arguments.of("presence and another header", "[{headers: {x: {}}}]",
                        "[{headers: {y: {exact: a}}}]", "[{headers: {x: {}, y: {exact: a}}}]"),
                Arguments.of("ignoreUriCase differs", "[{uri: {prefix: /a}, ignoreUriCase: true}]",
                        "[{uri: {prefix: /a/b}}]", null),
                Arguments.of("match names joined", "[{name: root, uri: {prefix: /a}}]",
                        "[{name: leaf, uri: {prefix: /a/b}}, {uri: {prefix: /a/c}}]",
                        "[{name: root-leaf, uri: {prefix: /a/b}}, {name: root, uri: {prefix: /a/c}}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchCases")
    void mergesMatchesAsIstio(String name, String root, String delegate, String expected) {
        Delegation.Result result = resolve("- match: " + root + "\n  delegate: {name: d}\n",
                "- match: " + delegate + "\n  route: [{destination: {host: a.example.org}}]\n");

        if (expected == null) {
            assertThat(result.routes()).isEmpty();
            assertThat(result.problems()).extracting(Delegation.Problem::reason, Delegation.Problem::path)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Reason.MATCH_CONFLICT,
                            "spec.http[0].delegate"));
        } else {
            assertThat(result.problems()).isEmpty();
            assertThat(result.routes()).hasSize(1);
            assertThat(result.routes().get(0).route().match()).isEqualTo(matches(expected));
        }
    }

    /** Istio's "root catch all": what the delegate route does not set comes from the root route. */
    @Test
    void aRouteInheritsWhatItDoesNotSet() {
        Delegation.Result result = resolve("""
                - name: root
                  timeout: 10s
                  headers: {request: {add: {istio: test}, remove: [trace-id]}}
                  retries: {attempts: 3}
                  rewrite: {uri: /new}
                  delegate: {name: d}
                """, """
                - name: v1
                  match: [{uri: {prefix: /productpage/v1}, headers: {version: {exact: v1}}}]
                  route: [{destination: {host: productpage.org, subset: v1}}]
                - match: [{uri: {prefix: /productpage/v2}}]
                  timeout: 2s
                  route: [{destination: {host: productpage.org, subset: v2}}]
                """);

        HttpRoute v1 = result.routes().get(0).route();
        HttpRoute v2 = result.routes().get(1).route();
        assertThat(v1.name()).isEqualTo("root-v1");
        assertThat(v2.name()).isEqualTo("root");
        assertThat(v1.timeout()).hasSeconds(10);
        assertThat(v2.timeout()).hasSeconds(2);
        assertThat(v1.headers().request().add()).containsExactly(Map.entry("istio", "test"));
        assertThat(v2.headers().request().remove()).containsExactly("trace-id");
        assertThat(v1.retries().attempts()).isEqualTo(3);
        assertThat(v2.rewrite().uri()).isEqualTo("/new");
        assertThat(v1.route().get(0).destination().subset()).isEqualTo("v1");
        assertThat(v1.delegate()).isNull();
        assertThat(result.routes().get(1).via()).isEqualTo("VirtualService default/root spec.http[0]");
        assertThat(result.routes().get(1).path()).isEqualTo("spec.http[1]");
    }

    /** Istio's "delegate with empty match": a delegate route without match takes the root's match entries. */
    @Test
    void aDelegateRouteWithoutMatchTakesTheRootMatch() {
        Delegation.Result result = resolve("""
                - match: [{uri: {prefix: /productpage}, port: 8080}]
                  delegate: {name: d}
                """, """
                - match: [{uri: {prefix: /productpage/v1}, headers: {version: {exact: v1}}}]
                  route: [{destination: {host: productpage.org, subset: v1}}]
                - match: [{uri: {prefix: /productpage/v2}, headers: {version: {exact: v2}}},
                          {headers: {version: {exact: v2}}, queryParams: {version: {exact: v2}}}]
                  route: [{destination: {host: productpage.org, subset: v2}}]
                - route: [{destination: {host: productpage.org, subset: v3}}]
                """);

        assertThat(result.routes()).extracting(r -> r.route().match()).containsExactly(
                matches("[{uri: {prefix: /productpage/v1}, headers: {version: {exact: v1}}, port: 8080}]"),
                matches("[{uri: {prefix: /productpage/v2}, headers: {version: {exact: v2}}, port: 8080},"
                        + " {uri: {prefix: /productpage}, headers: {version: {exact: v2}},"
                        + " queryParams: {version: {exact: v2}}, port: 8080}]"),
                matches("[{uri: {prefix: /productpage}, port: 8080}]"));
    }

    /** Istio's "delegate with mirrors": a route without mirrors takes the root's. */
    @Test
    void mirrorsAreInheritedOnlyWhenTheDelegateHasNone() {
        Delegation.Result result = resolve("""
                - mirrors: [{destination: {host: mirror.org, subset: v3}}]
                  delegate: {name: d}
                """, """
                - match: [{uri: {prefix: /productpage/v1}}]
                  mirrors: [{destination: {host: mirror.org, subset: v1}}]
                  route: [{destination: {host: productpage.org, subset: v1}}]
                - route: [{destination: {host: productpage.org, subset: v3}}]
                """);

        assertThat(result.routes()).extracting(r -> r.route().mirrors().get(0).destination().subset())
                .containsExactly("v1", "v3");
    }

    /** Istio's "multiple header merge": one delegate entry merged with each of two root entries. */
    @Test
    void oneDelegateEntryMergesWithEveryRootEntryItFits() {
        Delegation.Result result = resolve("""
                - match: [{headers: {header1: {regex: regex}}}, {headers: {header2: {exact: exact}}}]
                  delegate: {name: d}
                """, """
                - match: [{uri: {prefix: /}}]
                  route: [{destination: {host: a.example.org}}]
                """);

        assertThat(result.routes().get(0).route().match()).isEqualTo(matches(
                "[{uri: {prefix: /}, headers: {header1: {regex: regex}}},"
                        + " {uri: {prefix: /}, headers: {header2: {exact: exact}}}]"));
    }

    /**
     * Istio's "root and delegate vs", "root and conflicted delegate vs" and "multiple routes delegate to one": the
     * delegate's routes take the delegating route's place, in order, between the root's own routes.
     */
    @Test
    void delegatedRoutesTakeThePlaceOfTheDelegatingRoute() {
        Delegation.Result result = resolve("""
                - match: [{uri: {prefix: /productpage}}, {uri: {exact: /login}}]
                  delegate: {name: d}
                - match: [{uri: {prefix: /legacy/path}}]
                  rewrite: {uri: /productpage}
                  delegate: {name: d}
                - route: [{destination: {host: example.org}}]
                """, """
                - match: [{uri: {prefix: /productpage/v1}}]
                  route: [{destination: {host: productpage.org, subset: v1}}]
                - match: [{name: mismatch, uri: {prefix: /mis-match/path}}]
                  route: [{destination: {host: productpage.org, subset: v2}}]
                - route: [{destination: {host: productpage.org, subset: v3}}]
                """);

        assertThat(result.routes()).extracting(r -> r.path() + " " + r.route().route().get(0).destination().host()
                + ":" + r.route().route().get(0).destination().subset() + " " + r.route().match().size()
                + (r.route().rewrite() == null ? "" : " " + r.route().rewrite().uri())).containsExactly(
                "spec.http[0] productpage.org:v1 1",
                "spec.http[2] productpage.org:v3 2",
                // the second delegating route: /productpage/v1 is not within /legacy/path
                "spec.http[2] productpage.org:v3 1 /productpage",
                "spec.http[2] example.org: 0");
        assertThat(result.problems()).extracting(Delegation.Problem::reason).containsExactly(
                Reason.MATCH_CONFLICT, Reason.MATCH_CONFLICT, Reason.MATCH_CONFLICT);
        assertThat(result.routes().get(3).via()).isEmpty();
    }

    /** Istio's "delegate not exported to root vs namespace": the route is left out, the rest is served. */
    @Test
    void aDelegateNotExportedToTheRootNamespaceIsLeftOut() {
        String yaml = root("- delegate: {name: d, namespace: team}\n- route: [{destination: {host: example.org}}]\n")
                + "---\n" + delegate("team", "[.]", "- route: [{destination: {host: a.example.org}}]\n")
                + "---\n" + delegate("other", "[default]", "- route: [{destination: {host: b.example.org}}]\n")
                .replace("name: d,", "name: e,");

        Delegation.Result result = Delegation.resolve(vs(yaml, "default", "root"), all(yaml));

        assertThat(result.routes()).extracting(r -> r.route().route().get(0).destination().host())
                .containsExactly("example.org");
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(Reason.NOT_EXPORTED);
            assertThat(p.message()).contains("VirtualService team/d is not exported to namespace default");
        });
        VirtualService exported = vs(yaml, "other", "e");
        assertThat(Delegation.exportedTo(exported, "default")).isTrue();
        assertThat(Delegation.exportedTo(exported, "team")).isFalse();
        assertThat(Delegation.exportedTo(vs(yaml, "team", "d"), "team")).isTrue();
    }

    @Test
    void aMissingDelegateOrOneWithHostsLeavesOnlyThatRouteOut() {
        String yaml = root("- delegate: {name: nobody}\n- delegate: {name: root}\n"
                + "- route: [{destination: {host: example.org}}]\n");

        Delegation.Result result = Delegation.resolve(vs(yaml, "default", "root"), all(yaml));

        assertThat(result.routes()).hasSize(1);
        assertThat(result.problems()).extracting(Delegation.Problem::reason, Delegation.Problem::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Reason.NOT_FOUND, "spec.http[0].delegate"),
                org.assertj.core.groups.Tuple.tuple(Reason.NOT_A_DELEGATE, "spec.http[1].delegate"));
        assertThat(result.problems().get(0).message()).isEqualTo(
                "VirtualService default/nobody does not exist; this route is left out");
    }

    /**
     * Istio resolves short hosts in each VirtualService's namespace before merging: the delegate's destination in
     * the delegate's, the mirror the root passes down in the root's.
     */
    @Test
    void shortHostsResolveWhereTheyWereWritten() {
        String yaml = root("- mirror: {host: shadow}\n  delegate: {name: d, namespace: team}\n")
                + "---\n" + delegate("team", "[]", "- route: [{destination: {host: reviews}}]\n");

        HttpRoute merged = Delegation.resolve(vs(yaml, "default", "root"), all(yaml)).routes().get(0).route();

        assertThat(merged.route().get(0).destination().host()).isEqualTo("reviews.team.svc.cluster.local");
        assertThat(merged.mirror().host()).isEqualTo("shadow.default.svc.cluster.local");
    }

    // --- helpers: YAML in, model records out ---

    /** A root {@code default/root} with {@code rootHttp} and a delegate {@code default/d} with {@code delegateHttp}. */
    private static Delegation.Result resolve(String rootHttp, String delegateHttp) {
        String yaml = root(rootHttp) + "---\n" + delegate("default", "[]", delegateHttp);
        return Delegation.resolve(vs(yaml, "default", "root"), all(yaml));
    }

    /** Routes written from column 0, placed under {@code http:}. */
    private static String indent(String http) {
        return http.lines().map(l -> "  " + l).collect(java.util.stream.Collectors.joining("\n")) + "\n";
    }

    private static String root(String http) {
        return "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: root, namespace: default}\n"
                + "spec:\n  hosts: [example.org]\n  http:\n" + indent(http);
    }

    private static String delegate(String namespace, String exportTo, String http) {
        return "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: d, namespace: " + namespace
                + "}\nspec:\n  exportTo: " + exportTo + "\n  http:\n" + indent(http);
    }

    private static List<HttpMatch> matches(String yaml) {
        String doc = root("- match: " + yaml + "\n  route: [{destination: {host: a.example.org}}]\n");
        return vs(doc, "default", "root").http().get(0).match();
    }

    private static VirtualService vs(String yaml, String namespace, String name) {
        return (VirtualService) all(yaml).get(new ResourceKey("VirtualService", namespace, name));
    }

    private static Map<ResourceKey, VirtualService> all(String yaml) {
        var compiled = ConfigCompiler.compile(Map.of("t.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
        Map<ResourceKey, VirtualService> out = new HashMap<>();
        for (ParsedResource p : compiled.resources()) {
            out.put(p.resource().key(), (VirtualService) p.resource());
        }
        assertThat(out).as("parsed from:%n%s%n%s", yaml, compiled.diagnostics()).isNotEmpty();
        return out;
    }
}
