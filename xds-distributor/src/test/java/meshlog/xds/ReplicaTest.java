package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.status.ProxyStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Distributors are cattle: two replicas fed the same snapshot serve the same versions. */
class ReplicaTest {

    static final List<String> ROUTING_TYPES = List.of(Resources.V3.LISTENER_TYPE_URL, Resources.V3.ROUTE_TYPE_URL,
            Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL);

    static Backends backends;

    XdsDistributor first;
    XdsDistributor second;
    ScopeSnapshot snapshot;

    @BeforeAll
    static void backends() {
        backends = Backends.start("a", "b");
    }

    @AfterAll
    static void stopBackends() {
        backends.close();
    }

    @BeforeEach
    void start() {
        first = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()), status -> { });
        second = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()), status -> { });
        snapshot = Mesh.split("east", new TreeMap<>(Map.of("a", 50, "b", 50)),
                Map.of("a", backends.port("a"), "b", backends.port("b")));
        first.accept(snapshot);
        second.accept(snapshot);
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
    }

    @Test
    void replicasReportAndServeTheSameVersions() throws Exception {
        assertThat(first.currentVersion()).isEqualTo(snapshot.version());
        assertThat(second.currentVersion()).isEqualTo(snapshot.version());
        for (String type : ROUTING_TYPES) {
            assertThat(servedVersion(second, type, "")).as(type).isEqualTo(servedVersion(first, type, ""));
        }
    }

    @Test
    void aClientMovingToTheOtherReplicaGetsTheSameVersions() throws Exception {
        Map<String, String> onFirst = ackedThrough(first);
        Map<String, String> onSecond = ackedThrough(second);
        assertThat(onFirst.keySet()).containsAll(ROUTING_TYPES);
        assertThat(onSecond).isEqualTo(onFirst);
        // A proxy reconnecting says which version it has; the other replica answers with that same version.
        String listeners = onFirst.get(Resources.V3.LISTENER_TYPE_URL);
        assertThat(servedVersion(second, Resources.V3.LISTENER_TYPE_URL, listeners)).isEqualTo(listeners);
    }

    @Test
    void aDeltaProxyReconnectingToTheOtherReplicaIsResentNothing() throws Exception {
        Map<String, Map<String, String>> holding = new TreeMap<>();
        try (RawDeltaAds onFirst = DeltaAdsTest.envoy(first, "envoy-mover")) {
            DeltaAdsTest.subscribeAll(onFirst, Map.of()).forEach((type, response) ->
                    holding.put(type, RawDeltaAds.versions(response)));
        }
        assertThat(holding.keySet()).containsExactlyInAnyOrderElementsOf(ROUTING_TYPES);
        // The proxy also still holds a cluster that the snapshot no longer has.
        holding.put(Resources.V3.CLUSTER_TYPE_URL, new TreeMap<>(holding.get(Resources.V3.CLUSTER_TYPE_URL)));
        holding.get(Resources.V3.CLUSTER_TYPE_URL).put("gone", "0123456789abcdef");

        try (RawDeltaAds onSecond = DeltaAdsTest.envoy(second, "envoy-mover")) {
            Map<String, DeltaDiscoveryResponse> answers = DeltaAdsTest.subscribeAll(onSecond, holding);
            answers.forEach((type, response) -> {
                assertThat(response.getResourcesList()).as(type + ": nothing resent").isEmpty();
                assertThat(response.getSystemVersionInfo()).isEqualTo(first.currentTypeVersions().get(type));
            });
            assertThat(answers.get(Resources.V3.CLUSTER_TYPE_URL).getRemovedResourcesList()).containsExactly("gone");
            answers.entrySet().stream().filter(e -> !e.getKey().equals(Resources.V3.CLUSTER_TYPE_URL))
                    .forEach(e -> assertThat(e.getValue().getRemovedResourcesList()).as(e.getKey()).isEmpty());
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    DeltaAdsTest.ackedVersions(second, "envoy-mover").equals(first.currentTypeVersions()));
        }
    }

    /** Routes one client through {@code replica} until it has ACKed every routing type; its ACKed versions. */
    Map<String, String> ackedThrough(XdsDistributor replica) throws InterruptedException {
        ManagedChannel client = XdsClients.channel(replica.address(), "grpc-mover", XdsClients.metadata("east", "ns1", "sa1"));
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> Backends.who(client, Duration.ofSeconds(2)) != null);
            await().atMost(Duration.ofSeconds(10)).until(() -> replica.proxies().size() == 1
                    && replica.proxies().get(0).types().keySet().containsAll(ROUTING_TYPES));
            Map<String, String> acked = new TreeMap<>();
            ProxyStatus status = replica.proxies().get(0);
            assertThat(status.proxyId()).isEqualTo("grpc-mover");
            assertThat(status.distributor()).isEqualTo(replica.address());
            status.types().forEach((type, s) -> acked.put(type, s.ackedVersion()));
            return acked;
        } finally {
            XdsClients.close(client);
        }
    }

    static String servedVersion(XdsDistributor replica, String type, String clientVersion) throws Exception {
        List<String> names = type.equals(Resources.V3.LISTENER_TYPE_URL) || type.equals(Resources.V3.ROUTE_TYPE_URL)
                ? List.of(Mesh.SERVICE) : type.equals(Resources.V3.ENDPOINT_TYPE_URL) ? List.of("a", "b") : List.of();
        try (RawAds ads = new RawAds(replica.address(), RawAds.node("raw", XdsClients.metadata("east", "ns1", "sa1")))) {
            ads.request(type, names, clientVersion, "");
            DiscoveryResponse response = ads.next(Duration.ofSeconds(5));
            assertThat(response).as("a response for " + type).isNotNull();
            return response.getVersionInfo();
        }
    }
}
