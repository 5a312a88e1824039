package meshlog.reconciler.translate;

import static meshlog.reconciler.translate.Model.endpoint;
import static meshlog.reconciler.translate.Model.port;
import static meshlog.reconciler.translate.Model.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.reconciler.ir.ApiListenerIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.ir.RouteTableIr;
import org.junit.jupiter.api.Test;

/** The names a proxyless gRPC client may dial, per its namespace (Istio's {@code grpcgen} listener name filter). */
class GrpcNamesTest {

    static final List<MeshResource> CONFIG = List.of(
            service("demo", "reviews", "reviews.demo.svc.cluster.local", List.of(port(9080, "grpc"), port(9081, "grpc")),
                    endpoint("10.0.0.1", Map.of())),
            service("prod", "ratings", "ratings.prod.svc.cluster.local", List.of(port(9080, "grpc")),
                    endpoint("10.0.1.1", Map.of())));

    static List<String> names(List<MeshResource> config, ProxyScope scope) {
        return MeshTranslator.translate(config, "east", scope).listeners().stream().map(ListenerIr::name).toList();
    }

    @Test
    void aShortNameResolvesOnlyInTheClientsOwnNamespace() {
        assertThat(names(CONFIG, ProxyScope.grpc("demo"))).containsExactly(
                "ratings.prod.svc.cluster.local:9080", "ratings.prod.svc:9080", "ratings.prod:9080",
                "reviews.demo.svc.cluster.local:9080", "reviews.demo.svc.cluster.local:9081",
                "reviews.demo.svc:9080", "reviews.demo.svc:9081", "reviews.demo:9080", "reviews.demo:9081",
                "reviews:9080", "reviews:9081");
        assertThat(names(CONFIG, ProxyScope.grpc("prod"))).contains("ratings:9080")
                .doesNotContain("reviews:9080", "reviews:9081");
        assertThat(names(CONFIG, ProxyScope.grpc("other"))).noneMatch(n -> n.startsWith("reviews:")
                || n.startsWith("ratings:"));
        assertThat(names(CONFIG, ProxyScope.GRPC)).isEqualTo(names(CONFIG, ProxyScope.grpc("other")));
    }

    @Test
    void everyFormNamesTheHostsRouteTableWhoseVirtualHostAnswersForIt() {
        MeshIr ir = MeshTranslator.translate(CONFIG, "east", ProxyScope.grpc("demo"));
        ApiListenerIr shortName = (ApiListenerIr) ir.listeners().stream().filter(l -> l.name().equals("reviews:9080"))
                .findFirst().orElseThrow();
        assertThat(shortName.routeTable()).isEqualTo("reviews.demo.svc.cluster.local:9080");
        RouteTableIr table = ir.routeTables().stream().filter(t -> t.name().equals(shortName.routeTable()))
                .findFirst().orElseThrow();
        // gRPC picks the virtual host by the authority it dialled: reviews:9080.
        assertThat(table.virtualHosts().get(0).domains()).contains("reviews", "reviews:9080");
        RouteTableIr elsewhere = MeshTranslator.translate(CONFIG, "east", ProxyScope.grpc("prod")).routeTables()
                .stream().filter(t -> t.name().equals(shortName.routeTable())).findFirst().orElseThrow();
        assertThat(elsewhere.virtualHosts().get(0).domains()).doesNotContain("reviews", "reviews:9080")
                .contains("reviews.demo", "reviews.demo:9080");
    }

    @Test
    void aServiceEntrysOwnHostTakesTheNameBeforeAnotherServicesShortForm() {
        List<MeshResource> config = new java.util.ArrayList<>(CONFIG);
        config.add(service("web", "bare", "reviews", List.of(port(9080, "grpc")), endpoint("10.0.2.1", Map.of())));
        MeshIr ir = MeshTranslator.translate(config, "east", ProxyScope.grpc("demo"));
        List<ApiListenerIr> named = ir.listeners().stream().map(l -> (ApiListenerIr) l)
                .filter(l -> l.name().equals("reviews:9080")).toList();
        assertThat(named).hasSize(1);
        assertThat(named.get(0).routeTable()).isEqualTo("reviews:9080");
        assertThat(ir.listeners().stream().map(ListenerIr::name)).contains("reviews:9081");
    }

    @Test
    void noNameWithoutAPortAsIstioNamesEveryListenerHostColonPort() {
        assertThat(names(CONFIG, ProxyScope.grpc("demo"))).allMatch(n -> n.matches(".+:\\d+"));
    }
}
