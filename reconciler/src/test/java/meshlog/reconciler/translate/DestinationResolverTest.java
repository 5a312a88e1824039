package meshlog.reconciler.translate;

import static meshlog.reconciler.translate.Model.port;
import static meshlog.reconciler.translate.Model.route;
import static meshlog.reconciler.translate.Model.rule;
import static meshlog.reconciler.translate.Model.service;
import static meshlog.reconciler.translate.Model.to;
import static meshlog.reconciler.translate.Model.vs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.ir.RouteIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WeightedBackendIr;
import org.junit.jupiter.api.Test;

/** Weights, destination ports and missing backends; through {@link MeshTranslator} so backends are real. */
class DestinationResolverTest {

    static final String ECHO = "echo.demo.svc.cluster.local";
    static final String MULTI = "multi.demo.svc.cluster.local";

    static MeshIr translate(VirtualService vs) {
        List<MeshResource> config = new ArrayList<>(List.of(
                service("demo", "echo", ECHO, List.of(port(50051, "grpc")),
                        Model.endpoint("10.0.0.1", java.util.Map.of("version", "v1"))),
                service("demo", "multi", MULTI, List.of(port(80, "http"), port(90, "grpc"))),
                rule("demo", "echo", "echo", "v1", "v2")));
        config.add(vs);
        return MeshTranslator.translate(config, "default");
    }

    static List<RouteIr> routesOf(MeshIr ir, String table) {
        return ir.routeTables().stream().filter(t -> t.name().equals(table)).findFirst()
                .map(t -> t.virtualHosts().get(0).routes()).orElseThrow();
    }

    static List<String> weights(RouteIr r) {
        return r.backends().stream().map(b -> b.backend().subset() + "=" + b.weight()).toList();
    }

    static MeshIr echoRoute(RouteDestination... dests) {
        return translate(vs("demo", "echo", "echo", route(dests)));
    }

    @Test
    void singleDestinationGetsAllTrafficWhateverItsWeight() {
        for (Integer w : new Integer[] {null, 0, 7}) {
            MeshIr ir = echoRoute(to("echo", "v1", w));
            assertThat(routesOf(ir, ECHO + ":50051")).singleElement()
                    .satisfies(r -> assertThat(weights(r)).containsExactly("v1=100"));
            assertThat(ir.notes()).isEmpty();
        }
    }

    @Test
    void weightsArePassedThroughAndZeroOrMissingWeightsAreDropped() {
        MeshIr ir = echoRoute(to("echo", "v1", 1), to("echo", "v2", 3), to("echo", "", 0), to("echo", "", null));

        assertThat(weights(routesOf(ir, ECHO + ":50051").get(0))).containsExactly("v1=1", "v2=3");
        assertThat(ir.notes()).isEmpty();
    }

    @Test
    void oneDestinationLeftAfterDroppingZerosBecomesAPlainClusterRoute() {
        MeshIr ir = echoRoute(to("echo", "v1", 0), to("echo", "v2", 5));

        assertThat(weights(routesOf(ir, ECHO + ":50051").get(0))).containsExactly("v2=100");
    }

    @Test
    void allWeightsZeroSkipsTheRouteWithANoteInsteadOfEmittingASumOfZero() {
        MeshIr ir = translate(vs("demo", "echo", "echo",
                route(to("echo", "v1", 0), to("echo", "v2", 0)),
                route(to("echo", "", null))));

        assertThat(routesOf(ir, ECHO + ":50051")).singleElement()
                .satisfies(r -> assertThat(weights(r)).containsExactly("=100"));
        assertThat(ir.notes()).extracting(TranslationNote::toString).containsExactly(
                "VirtualService demo/echo: spec.http[0] (for " + ECHO + ":50051): route skipped: no destination "
                        + "with a weight above 0 and a cluster");
    }

    @Test
    void weightsSummingAboveUint32AreSkipped() {
        MeshIr ir = echoRoute(to("echo", "v1", Integer.MAX_VALUE), to("echo", "v2", Integer.MAX_VALUE),
                to("echo", "", 2));

        assertThat(routesOf(ir, ECHO + ":50051")).isEmpty();
        assertThat(ir.notes()).singleElement().asString().contains("weights sum to 4294967296");
    }

    @Test
    void missingSubsetDropsThatDestinationAndNamesTheCluster() {
        MeshIr ir = echoRoute(to("echo", "v1", 80), to("echo", "v3", 20));

        assertThat(weights(routesOf(ir, ECHO + ":50051").get(0))).containsExactly("v1=100");
        assertThat(ir.notes()).singleElement().asString().isEqualTo("VirtualService demo/echo: "
                + "spec.http[0].route[1].destination (for " + ECHO + ":50051): no cluster outbound|50051|v3|" + ECHO
                + " (no DestinationRule defines subset \"v3\" for " + ECHO + "); dropped");
    }

    @Test
    void aRouteWhoseOnlyDestinationIsMissingIsSkippedAndLaterRoutesStay() {
        MeshIr ir = translate(vs("demo", "echo", "echo",
                route(to("unknown", "", null)),
                route(to("echo", 1234, null)),
                route(to("echo", "", null))));

        assertThat(routesOf(ir, ECHO + ":50051")).hasSize(1);
        assertThat(ir.notes()).extracting(TranslationNote::message).containsExactly(
                "spec.http[0].route[0].destination (for " + ECHO + ":50051): no ServiceEntry or Kubernetes Service declares "
                        + "unknown.demo.svc.cluster.local; dropped",
                "spec.http[0] (for " + ECHO + ":50051): route skipped: its only destination has no cluster",
                "spec.http[1].route[0].destination (for " + ECHO + ":50051): no cluster outbound|1234||" + ECHO
                        + " (" + ECHO + " has no port 1234); dropped",
                "spec.http[1] (for " + ECHO + ":50051): route skipped: its only destination has no cluster");
    }

    @Test
    void portIsExplicitElseTheOnlyPortElseTheListenersOwnPort() {
        HttpRoute toMulti = route(to("multi", "", null));
        MeshIr own = translate(vs("demo", "multi", "multi", toMulti));
        MeshIr other = translate(vs("demo", "echo", "echo", route(to("multi", 90, null))));
        MeshIr ambiguous = translate(vs("demo", "echo", "echo", toMulti));

        assertThat(routesOf(own, MULTI + ":80").get(0).backends()).extracting(WeightedBackendIr::backend)
                .extracting(b -> b.port()).containsExactly(80);
        assertThat(routesOf(own, MULTI + ":90").get(0).backends()).extracting(WeightedBackendIr::backend)
                .extracting(b -> b.port()).containsExactly(90);
        assertThat(routesOf(other, ECHO + ":50051").get(0).backends().get(0).backend().clusterName())
                .isEqualTo("outbound|90||" + MULTI);
        assertThat(routesOf(ambiguous, ECHO + ":50051")).isEmpty();
        assertThat(ambiguous.notes()).first().asString()
                .contains(MULTI + " has ports [80, 90]; set port.number to choose one");
    }

    @Test
    void aDestinationWithoutHostIsDroppedNotThrown() {
        MeshIr ir = echoRoute(new RouteDestination(null, 50), to("echo", "v1", 50));

        assertThat(weights(routesOf(ir, ECHO + ":50051").get(0))).containsExactly("v1=100");
        assertThat(ir.notes()).singleElement().asString().contains("no destination host; dropped");
    }
}
