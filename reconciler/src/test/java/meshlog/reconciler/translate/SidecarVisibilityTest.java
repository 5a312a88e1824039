package meshlog.reconciler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ExportTo;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.ir.RouteActionIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.VirtualHostIr;
import org.junit.jupiter.api.Test;

/** What sidecars of different namespaces are given of one config, by exportTo and the mesh defaults. */
class SidecarVisibilityTest {

    /** web in a with subsets v1 and v2; a VirtualService of a for it exported to a only, routing to v2. */
    static final String WEB = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: web, namespace: a}
            spec:
              hosts: [web.a.svc.cluster.local]
              location: MESH_INTERNAL
              resolution: STATIC
              ports: [{number: 8080, name: http, protocol: HTTP}]
              endpoints:
              - {address: 10.0.0.1, labels: {version: v1}}
              - {address: 10.0.0.2, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: web, namespace: a}
            spec:
              host: web
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web, namespace: a}
            spec:
              hosts: [web]
              exportTo: ["."]
              http:
              - route:
                - destination: {host: web, subset: v2}
            """;

    static final String V2 = "outbound|8080|v2|web.a.svc.cluster.local";
    static final String ALL = "outbound|8080||web.a.svc.cluster.local";

    @Test
    void aVirtualServiceExportedToItsNamespaceRoutesOnlyThatNamespacesSidecars() {
        MeshTranslator.ClusterModel model = model(WEB, ExportTo.Defaults.ISTIO);
        assertThat(routedTo(sidecar(model, "a"), "web.a.svc.cluster.local:8080")).containsExactly(V2);
        // b gets the default route: the whole service.
        assertThat(routedTo(sidecar(model, "b"), "web.a.svc.cluster.local:8080")).containsExactly(ALL);
    }

    @Test
    void servicesAreSeenWhereExportedAndTildeHidesEverywhere() {
        String yaml = WEB + entry("b", "only-a", "[a]", 9001) + entry("b", "own", "[\".\"]", 9002)
                + entry("b", "none", "[\"~\"]", 9003);
        MeshTranslator.ClusterModel model = model(yaml, ExportTo.Defaults.ISTIO);
        assertThat(hosts(sidecar(model, "a"))).containsExactly("only-a.b.svc.cluster.local:9001",
                "web.a.svc.cluster.local:8080");
        assertThat(hosts(sidecar(model, "b"))).containsExactly("own.b.svc.cluster.local:9002",
                "web.a.svc.cluster.local:8080");
        assertThat(hosts(sidecar(model, "c"))).containsExactly("web.a.svc.cluster.local:8080");
        assertThat(clusterNames(sidecar(model, "c"))).noneMatch(n -> n.contains(".b.svc.cluster.local"));
    }

    @Test
    void theMeshDefaultsApplyToObjectsWithoutExportTo() {
        // Services private by default: web (no exportTo) is seen in a only; VirtualServices private by default.
        ExportTo.Defaults own = new ExportTo.Defaults(List.of("."), List.of("."), List.of("*"));
        String yaml = WEB.replace("  exportTo: [\".\"]\n", "") + entry("b", "public", "[\"*\"]", 9001);
        MeshTranslator.ClusterModel model = model(yaml, own);
        assertThat(routedTo(sidecar(model, "a"), "web.a.svc.cluster.local:8080")).containsExactly(V2);
        assertThat(hosts(sidecar(model, "b"))).containsExactly("public.b.svc.cluster.local:9001");
        // Istio's defaults: the VirtualService without exportTo routes every namespace's sidecars.
        MeshTranslator.ClusterModel istio = model(yaml, ExportTo.Defaults.ISTIO);
        assertThat(routedTo(sidecar(istio, "b"), "web.a.svc.cluster.local:8080")).containsExactly(V2);
    }

    @Test
    void aDestinationRuleIsTakenFromTheProxysNamespaceThenTheServicesThenTheRoot() {
        String yaml = WEB.replace("  exportTo: [\".\"]\n", "").replace("subset: v2", "subset: v1") + """
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: web-for-c, namespace: c}
                spec:
                  host: web.a.svc.cluster.local
                  subsets: [{name: c-only, labels: {version: v2}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: web-root, namespace: istio-system}
                spec:
                  host: web.a.svc.cluster.local
                  subsets: [{name: root, labels: {version: v2}}]
                """;
        MeshTranslator.ClusterModel model = model(yaml, ExportTo.Defaults.ISTIO);
        assertThat(subsets(sidecar(model, "a"))).containsExactly("", "v1", "v2");
        assertThat(subsets(sidecar(model, "c"))).containsExactly("", "c-only");
        assertThat(subsets(sidecar(model, "d"))).containsExactly("", "v1", "v2"); // the service's namespace
        // The service's rule made private: d falls through to the root namespace's.
        MeshTranslator.ClusterModel privateRule = model(yaml.replace("  host: web\n", "  host: web\n  exportTo: [\".\"]\n"),
                ExportTo.Defaults.ISTIO);
        assertThat(subsets(sidecar(privateRule, "d"))).containsExactly("", "root");
        assertThat(subsets(sidecar(privateRule, "a"))).containsExactly("", "v1", "v2");
        // A root-namespace proxy: the service's rule before the root's exported one.
        assertThat(subsets(sidecar(model, "istio-system"))).containsExactly("", "v1", "v2");
    }

    @Test
    void aRuleExportedElsewhereOnlyHasNoEffect() {
        String yaml = WEB + """
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: web-z, namespace: a}
                spec:
                  host: web.a.svc.cluster.local
                  exportTo: [z]
                  subsets: [{name: hidden, labels: {version: v1}}]
                """;
        MeshTranslator.ClusterModel model = model(yaml.replace("name: web, namespace: a}\nspec:\n  host: web\n",
                "name: web, namespace: a}\nspec:\n  host: web\n  exportTo: [\".\"]\n"), ExportTo.Defaults.ISTIO);
        assertThat(subsets(sidecar(model, "b"))).containsExactly("");
        assertThat(subsets(sidecar(model, "z"))).containsExactly("", "hidden");
        assertThat(subsets(sidecar(model, "a"))).containsExactly("", "v1", "v2");
    }

    @Test
    void aKubernetesServiceIsSeenWhereItsAnnotationExportsIt() {
        meshlog.configstore.endpoints.DiscoveredService billing = new meshlog.configstore.endpoints.DiscoveredService(
                1, "east", "billing", "api", "api.billing.svc.cluster.local", "ClusterIP", "", List.of("10.96.0.7"),
                List.of(new meshlog.configstore.endpoints.ServicePort("http", 80,
                        meshlog.gatewayapi.validate.ListenerChecks.Protocol.HTTP, "8080")), List.of(), 0,
                List.of(".", "ops"));
        ConfigCompiler.CompiledConfig compiled = ConfigCompiler.compile(
                Map.of("config.yaml", WEB.getBytes(StandardCharsets.UTF_8)));
        MeshTranslator.ClusterModel model = MeshTranslator.model(compiled.resources().stream()
                .map(p -> p.resource()).toList(), List.of(billing), "east", ExportTo.Defaults.ISTIO);
        assertThat(hosts(sidecar(model, "billing"))).contains("api.billing.svc.cluster.local:80");
        assertThat(hosts(sidecar(model, "ops"))).contains("api.billing.svc.cluster.local:80");
        assertThat(hosts(sidecar(model, "a"))).containsExactly("web.a.svc.cluster.local:8080");
    }

    @Test
    void backendsTranslatedWithTheSameRulesAreReused() {
        MeshTranslator.ClusterModel model = model(WEB, ExportTo.Defaults.ISTIO);
        List<meshlog.gatewayapi.model.DestinationRule> rules = DestinationRuleTranslator.chosen(model.services(),
                List.of(rule(WEB)));
        SidecarVisibility v = new SidecarVisibility(model.services(), List.of(rule(WEB)), model.virtualServices(),
                ExportTo.Defaults.ISTIO, chosen -> {
                    throw new AssertionError("translated again: " + chosen);
                }, Map.of(rules, model.backends()));
        assertThat(v.of("b").backends()).isEqualTo(model.backends());
        assertThat(v.of("c").backends()).isEqualTo(model.backends());
    }

    private static meshlog.gatewayapi.model.DestinationRule rule(String yaml) {
        return ConfigCompiler.compile(Map.of("config.yaml", yaml.getBytes(StandardCharsets.UTF_8))).resources()
                .stream().map(p -> p.resource()).filter(r -> r instanceof meshlog.gatewayapi.model.DestinationRule)
                .map(r -> (meshlog.gatewayapi.model.DestinationRule) r).findFirst().orElseThrow();
    }

    @Test
    void aGatewaySeesTheServicesAndRulesExportedToItsNamespace() {
        String yaml = WEB.replace("  host: web\n", "  host: web\n  exportTo: [\".\"]\n")
                + entry("b", "only-a", "[a]", 9001) + entry("b", "gw", "[istio-system]", 9002);
        MeshIr gateway = MeshTranslator.translate(model(yaml, ExportTo.Defaults.ISTIO),
                ProxyScope.router("istio-system", Map.of("istio", "ingressgateway")));
        assertThat(clusterNames(gateway)).contains(ALL, "outbound|9002||gw.b.svc.cluster.local")
                .doesNotContain(V2, "outbound|9001||only-a.b.svc.cluster.local");
    }

    static String entry(String namespace, String name, String exportTo, int port) {
        return """
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %s, namespace: %s}
                spec:
                  hosts: [%s.%s.svc.cluster.local]
                  exportTo: %s
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: http, protocol: HTTP}]
                  endpoints: [{address: 10.0.9.9}]
                """.formatted(name, namespace, name, namespace, exportTo, port);
    }

    static MeshTranslator.ClusterModel model(String yaml, ExportTo.Defaults defaults) {
        ConfigCompiler.CompiledConfig compiled = ConfigCompiler.compile(
                Map.of("config.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(compiled.errors()).isEmpty();
        List<MeshResource> resources = compiled.resources().stream().map(p -> p.resource()).toList();
        return MeshTranslator.model(resources, List.of(), "east", defaults);
    }

    static MeshIr sidecar(MeshTranslator.ClusterModel model, String namespace) {
        return MeshTranslator.translate(model, ProxyScope.sidecar(namespace, Map.of(), ProxyScope.Interception.NONE));
    }

    /** The clusters the first route of virtual host {@code name} sends to. */
    static List<String> routedTo(MeshIr ir, String name) {
        for (RouteTableIr t : ir.routeTables()) {
            for (VirtualHostIr vh : t.virtualHosts()) {
                if (vh.name().equals(name) && vh.routes().get(0).action() instanceof RouteActionIr.Forward f) {
                    return f.backends().stream().map(b -> b.backend().clusterName()).toList();
                }
            }
        }
        throw new AssertionError("no virtual host " + name + " in " + ir.routeTables());
    }

    /** The virtual hosts of every route table but the catch-alls, sorted. */
    static List<String> hosts(MeshIr ir) {
        return ir.routeTables().stream().flatMap(t -> t.virtualHosts().stream()).map(VirtualHostIr::name)
                .filter(n -> n.contains(":")).sorted().toList();
    }

    static List<String> clusterNames(MeshIr ir) {
        return ir.clusters().stream().map(c -> c.name()).toList();
    }

    /** The subsets of web's backends, sorted. */
    static List<String> subsets(MeshIr ir) {
        return ir.backends().stream().map(BackendIr::ref).filter(r -> r.host().equals("web.a.svc.cluster.local"))
                .map(r -> r.subset()).sorted().toList();
    }
}
