package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.scope.ScopeRequest;
import meshlog.configstore.snapshot.ScopeSnapshot;
import org.junit.jupiter.api.Test;

/**
 * A gateway ({@code router~} node id) whose scope is not computed yet is reported to the reconciler and then waits
 * for its own scope: past {@link XdsDistributor#SCOPE_WAIT} it is not served its namespace's label-less sidecar
 * scope, as a sidecar would be (a sidecar's outbound listeners are no gateway's).
 */
class GatewayScopeWaitTest {

    /** A consistent snapshot of {@code scope} whose listeners are {@link Mesh#SERVICE}'s and {@code listener}. */
    static ScopeSnapshot snapshot(ProxyScope scope, String listener) {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>(Mesh.split("east",
                new TreeMap<>(Map.of("a", 100)), Map.of("a", 1001)).resources());
        resources.replaceAll((type, byName) -> new TreeMap<>(byName));
        Mesh.put(resources, Resources.V3.LISTENER_TYPE_URL, listener, Mesh.listener().toBuilder().setName(listener)
                .build());
        String version = ScopeSnapshot.versionOf(resources);
        return new ScopeSnapshot("east", scope.id(), version, "c", resources);
    }

    @Test
    void aGatewayWaitsForItsOwnScopeAndIsNeverServedASidecars() throws Exception {
        ProxyScope gateway = ProxyScope.router("istio-system", Map.of("istio", "ingressgateway"));
        List<ScopeRequest> reported = new CopyOnWriteArrayList<>();
        try (XdsDistributor east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()),
                s -> {
                })) {
            east.reportScopesTo(reported::add);
            east.accept(snapshot(ProxyScope.sidecar("istio-system", Map.of(), ProxyScope.Interception.NONE),
                    "sidecar-outbound"));
            Struct labels = Struct.newBuilder().putFields("istio", Value.newBuilder().setStringValue("ingressgateway")
                    .build()).build();
            Node node = RawAds.node("router~127.0.0.1~ingress-1.istio-system~istio-system.svc.cluster.local",
                    Map.of("CLUSTER_ID", "east", "INTERCEPTION_MODE", "NONE")).toBuilder().setUserAgentName("envoy")
                    .build();
            node = node.toBuilder().setMetadata(node.getMetadata().toBuilder()
                    .putFields("LABELS", Value.newBuilder().setStructValue(labels).build())).build();
            try (RawAds ads = new RawAds("127.0.0.1:" + east.port(), node)) {
                ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(), "", "");
                DiscoveryResponse early = ads.next(XdsDistributor.SCOPE_WAIT.plusSeconds(2));
                assertThat(early).as("nothing served while its own scope is missing, even past the wait").isNull();
                assertThat(reported).extracting(ScopeRequest::scope).containsExactly(gateway);

                east.accept(snapshot(gateway, "0.0.0.0_80"));
                DiscoveryResponse own = ads.next(Duration.ofSeconds(10));
                assertThat(own).isNotNull();
                List<String> names = new java.util.ArrayList<>();
                for (var a : own.getResourcesList()) {
                    names.add(a.unpack(Listener.class).getName());
                }
                assertThat(names).contains("0.0.0.0_80").doesNotContain("sidecar-outbound");
            }
        }
    }
}
