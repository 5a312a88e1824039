package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.status.ProxyStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** grpc-java's xDS client routed by an east distributor: weighted split, live change, NACK hold, bad snapshots. */
class ProxylessRoutingTest {

    static Backends backends;
    static TestCa ca;

    XdsDistributor east;
    ManagedChannel client;
    final List<ProxyStatus> published = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void backends() {
        backends = Backends.start("a", "b");
        ca = new TestCa(Clock.systemUTC());
    }

    @AfterAll
    static void stopBackends() {
        backends.close();
    }

    @BeforeEach
    void start() {
        east = XdsDistributor.start("east", "127.0.0.1", 0, ca, published::add);
        client = XdsClients.channel(east.address(), "grpc-client-1", XdsClients.metadata("east", "ns1", "sa1"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        XdsClients.close(client);
        east.close();
    }

    static ScopeSnapshot split(int a, int b) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("a", a);
        weights.put("b", b);
        return Mesh.split("east", weights, Map.of("a", backends.port("a"), "b", backends.port("b")));
    }

    @Test
    void routesByWeightAndFollowsANewSnapshotWithoutRestart() {
        east.accept(split(80, 20));
        awaitFirstAnswer();

        int n = 400;
        List<String> answers = Backends.who(client, n);
        double shareOfA = Collections.frequency(answers, "a") / (double) n;
        // Binomial standard deviation at n=400, p=0.8 is 0.02: allow four of them.
        assertThat(shareOfA).isBetween(0.72, 0.88);
        assertThat(Collections.frequency(answers, "b")).isPositive();

        east.accept(split(0, 100));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> Backends.who(client, 20).stream().allMatch("b"::equals));
        assertThat(Backends.who(client, 100)).containsOnly("b");
    }

    @Test
    void followsASnapshotBackToAVersionItWasServedBefore() {
        // A rollback: the content, and so every version, is again what the client had two snapshots ago. Each
        // route references one cluster only, so the client drops its watch on the other and asks for it again.
        for (int round = 0; round < 3; round++) {
            east.accept(only("a"));
            if (round == 0) {
                awaitFirstAnswer();
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Backends.who(client, 10).stream().allMatch("a"::equals));
            east.accept(only("b"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Backends.who(client, 10).stream().allMatch("b"::equals));
        }
    }

    static ScopeSnapshot only(String backend) {
        return Mesh.split("east", Map.of(backend, 100), Map.of("a", backends.port("a"), "b", backends.port("b")));
    }

    @Test
    void nackedSnapshotIsHeldWhileTheClientKeepsItsLastGoodConfig() {
        ScopeSnapshot good = split(80, 20);
        east.accept(good);
        awaitFirstAnswer();
        String goodRoutes = typeVersion(good, Resources.V3.ROUTE_TYPE_URL);
        await().atMost(Duration.ofSeconds(10)).until(() -> goodRoutes.equals(routes().ackedVersion()));

        // gRPC rejects a route whose path regex does not compile (meshlog's check does not look at regexes).
        ScopeSnapshot bad = Mesh.nackedByGrpc("east", Map.of("a", 80, "b", 20),
                Map.of("a", backends.port("a"), "b", backends.port("b")));
        east.accept(bad);
        String badRoutes = typeVersion(bad, Resources.V3.ROUTE_TYPE_URL);
        await().atMost(Duration.ofSeconds(10)).until(() -> badRoutes.equals(routes().nackedVersion()));
        ProxyStatus.TypeStatus held = routes();
        assertThat(held.ackedVersion()).isEqualTo(goodRoutes);
        assertThat(held.error()).contains("Malformed safe regex pattern");
        assertThat(published).anyMatch(p -> p.types().containsKey(Resources.V3.ROUTE_TYPE_URL)
                && badRoutes.equals(p.types().get(Resources.V3.ROUTE_TYPE_URL).nackedVersion()));

        // Held, not resent: without the hold this is ~1000 NACKs a second.
        long nacksAtHold = east.nacksReceived();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> east.nacksReceived() - nacksAtHold <= 3);
        List<String> answers = Backends.who(client, 200);
        assertThat(Collections.frequency(answers, "a") / 200.0).as("still the 80/20 split").isBetween(0.68, 0.92);

        ScopeSnapshot fixed = split(0, 100);
        east.accept(fixed);
        String fixedRoutes = typeVersion(fixed, Resources.V3.ROUTE_TYPE_URL);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> Backends.who(client, 20).stream().allMatch("b"::equals));
        await().atMost(Duration.ofSeconds(5)).until(() -> fixedRoutes.equals(routes().ackedVersion()));
        assertThat(routes().nackedVersion()).isNull();
        assertThat(routes().error()).isNull();
    }

    @Test
    void undecodableSnapshotIsRefusedAndThePreviousOneKeepsBeingServed() throws Exception {
        ScopeSnapshot good = split(0, 100);
        east.accept(good);
        awaitFirstAnswer();

        Map<String, Map<String, byte[]>> resources = new LinkedHashMap<>(split(100, 0).resources());
        // A length-delimited field claiming 127 bytes where there are 1: no protobuf parser accepts it.
        resources.put(Resources.V3.ROUTE_TYPE_URL, Map.of(Mesh.SERVICE, new byte[] {0x0A, 0x7F, 0x01}));
        east.accept(Mesh.of("east", resources));
        east.accept(Mesh.split("west", Map.of("a", 100), Map.of("a", backends.port("a"))));

        assertThat(east.currentVersion()).isEqualTo(good.version());
        assertThat(Backends.who(client, 50)).containsOnly("b");
        try (RawAds ads = new RawAds(east.address(), RawAds.node("raw-1", XdsClients.metadata("east", "ns1", "sa1")))) {
            ads.request(Resources.V3.ROUTE_TYPE_URL, List.of(Mesh.SERVICE), "", "");
            DiscoveryResponse routes = ads.next(Duration.ofSeconds(5));
            assertThat(routes).isNotNull();
            assertThat(routes.getVersionInfo()).isEqualTo(typeVersion(good, Resources.V3.ROUTE_TYPE_URL));
        }
    }

    ProxyStatus.TypeStatus routes() {
        List<ProxyStatus> proxies = east.proxies();
        assertThat(proxies).hasSize(1);
        ProxyStatus.TypeStatus routes = proxies.get(0).types().get(Resources.V3.ROUTE_TYPE_URL);
        return routes == null ? new ProxyStatus.TypeStatus(null, null, null, null) : routes;
    }

    static String typeVersion(ScopeSnapshot snapshot, String typeUrl) {
        return ScopeSnapshot.versionOf(Map.of(typeUrl, snapshot.resources().get(typeUrl)));
    }

    void awaitFirstAnswer() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> Backends.who(client, Duration.ofSeconds(2)) != null);
    }
}
