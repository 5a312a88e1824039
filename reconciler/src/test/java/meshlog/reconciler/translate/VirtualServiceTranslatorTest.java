package meshlog.reconciler.translate;

import static meshlog.reconciler.translate.DestinationResolverTest.ECHO;
import static meshlog.reconciler.translate.DestinationResolverTest.routesOf;
import static meshlog.reconciler.translate.Model.meta;
import static meshlog.reconciler.translate.Model.port;
import static meshlog.reconciler.translate.Model.route;
import static meshlog.reconciler.translate.Model.service;
import static meshlog.reconciler.translate.Model.to;
import static meshlog.reconciler.translate.Model.vs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.reconciler.ir.HeaderMatchIr;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.TextMatchIr;
import meshlog.reconciler.ir.TranslationNote;
import org.junit.jupiter.api.Test;

class VirtualServiceTranslatorTest {

    static MeshIr translate(VirtualService... vss) {
        List<meshlog.gatewayapi.model.MeshResource> config = new java.util.ArrayList<>();
        config.add(service("demo", "echo", ECHO, List.of(port(50051, "grpc"))));
        config.addAll(List.of(vss));
        return MeshTranslator.translate(config, "default");
    }

    @Test
    void withoutVirtualServiceOneDefaultRouteToTheWholeService() {
        MeshIr ir = translate();

        assertThat(ir.routeTables()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo(ECHO + ":50051");
            assertThat(t.virtualHosts().get(0).domains()).containsExactly(ECHO, ECHO + ":50051",
                    "echo.demo.svc", "echo.demo.svc:50051", "echo.demo", "echo.demo:50051");
            assertThat(t.virtualHosts().get(0).routes()).containsExactly(new RouteIr("default",
                    TextMatchIr.ANY_PATH, List.of(), new meshlog.reconciler.ir.RouteActionIr.Forward(List.of(
                            new meshlog.reconciler.ir.WeightedBackendIr(
                                    new meshlog.reconciler.ir.BackendRef(ECHO, 50051, ""), 100))),
                    meshlog.reconciler.ir.RoutePolicyIr.GRPC_NONE));
        });
        // One listener per name a client may dial, all on the one route table.
        assertThat(ir.listeners()).extracting(l -> l.name()).containsExactly(
                ECHO + ":50051", "echo.demo.svc:50051", "echo.demo:50051");
        assertThat(ir.listeners()).allSatisfy(l -> assertThat(
                ((meshlog.reconciler.ir.ApiListenerIr) l).routeTable()).isEqualTo(ECHO + ":50051"));
    }

    @Test
    void firstVirtualServiceByNamespaceAndNameWinsForAHost() {
        MeshIr ir = translate(
                vs("demo", "b", "echo", route("from-b", new StringMatch.Prefix("/b"), to("echo", "", null))),
                vs("demo", "a", ECHO, route("from-a", new StringMatch.Prefix("/a"), to("echo", "", null))));

        assertThat(routesOf(ir, ECHO + ":50051")).extracting(RouteIr::name).containsExactly("from-a");
        assertThat(ir.notes()).extracting(TranslationNote::toString).containsExactly(
                "VirtualService demo/b: spec.hosts[0]: " + ECHO + " is already routed by VirtualService demo/a "
                        + "(first by namespace/name wins); ignored here");
    }

    @Test
    void aVirtualServiceBoundOnlyToGatewaysIsNotAppliedToMeshClients() {
        HttpRoute r = route("gw", new StringMatch.Prefix("/gw"), to("echo", "", null));
        VirtualService gatewayOnly = new VirtualService(meta("demo", "gw"), List.of("echo"),
                List.of("demo/ingress"), List.of(r));
        VirtualService meshToo = new VirtualService(meta("demo", "mesh"), List.of("echo"),
                List.of("demo/ingress", "mesh"), List.of(r));

        assertThat(routesOf(translate(gatewayOnly), ECHO + ":50051")).extracting(RouteIr::name)
                .containsExactly("default");
        assertThat(translate(gatewayOnly).notes()).singleElement().asString().contains("does not include \"mesh\"");
        assertThat(routesOf(translate(meshToo), ECHO + ":50051")).extracting(RouteIr::name).containsExactly("gw");
    }

    @Test
    void matchEntriesBecomeOneRouteEachWithHeadersSortedByName() {
        Map<String, StringMatch> headers = new java.util.LinkedHashMap<>();
        headers.put("z-last", new StringMatch.Exact("1"));
        headers.put("a-first", new StringMatch.Regex("a|b"));
        HttpRoute r = new HttpRoute("r", List.of(
                new HttpMatch("one", new StringMatch.Exact("/x.X/Y"), headers),
                new HttpMatch("", null, Map.of("h", new StringMatch.Prefix("p")))),
                List.of(to("echo", "", null)));

        List<RouteIr> routes = routesOf(translate(vs("demo", "echo", "echo", r)), ECHO + ":50051");

        assertThat(routes).extracting(RouteIr::name).containsExactly("r.one", "r");
        assertThat(routes.get(0).path()).isEqualTo(new TextMatchIr(TextMatchIr.Kind.EXACT, "/x.X/Y"));
        assertThat(routes.get(0).headers()).extracting(HeaderMatchIr::name).containsExactly("a-first", "z-last");
        assertThat(routes.get(0).headers().get(0).match().kind()).isEqualTo(TextMatchIr.Kind.REGEX);
        assertThat(routes.get(1).path()).isEqualTo(TextMatchIr.ANY_PATH);
        assertThat(routes.get(1).backends()).isEqualTo(routes.get(0).backends());
    }

    @Test
    void aVirtualServiceForAnUndeclaredHostIsNoted() {
        MeshIr ir = translate(vs("other", "echo", "echo", route(to("echo", "", null))));

        assertThat(routesOf(ir, ECHO + ":50051")).extracting(RouteIr::name).containsExactly("default");
        assertThat(ir.notes()).singleElement().asString()
                .contains("no ServiceEntry or Kubernetes Service declares echo.other.svc.cluster.local");
    }
}
