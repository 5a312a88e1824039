package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.configstore.status.ProxyStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delta ADS as Envoy speaks it, from the same snapshots and versions as state-of-the-world. */
class DeltaAdsTest {

    static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
    static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
    static final String LDS = Resources.V3.LISTENER_TYPE_URL;
    static final String RDS = Resources.V3.ROUTE_TYPE_URL;
    /** Envoy's subscriptions: wildcard CDS and LDS, EDS and RDS by name. */
    static final Map<String, List<String>> SUBSCRIPTIONS = subscriptions();

    XdsDistributor east;
    final List<ProxyStatus> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()), published::add);
    }

    @AfterEach
    void stop() {
        east.close();
    }

    static Map<String, List<String>> subscriptions() {
        Map<String, List<String>> subscriptions = new LinkedHashMap<>();
        subscriptions.put(CDS, List.of());
        subscriptions.put(EDS, List.of("a", "b"));
        subscriptions.put(LDS, List.of());
        subscriptions.put(RDS, List.of(Mesh.SERVICE));
        return subscriptions;
    }

    static ScopeSnapshot snapshot(int portOfA, int portOfB) {
        return Mesh.split("east", new TreeMap<>(Map.of("a", 50, "b", 50)), Map.of("a", portOfA, "b", portOfB));
    }

    static RawDeltaAds envoy(XdsDistributor distributor, String id) {
        return new RawDeltaAds(distributor.address(), RawAds.node(id, XdsClients.metadata("east", "ns1", "sa1")));
    }

    /** Subscribes to every routing type as Envoy does, ACKing each first response; those responses by type. */
    static Map<String, DeltaDiscoveryResponse> subscribeAll(RawDeltaAds ads, Map<String, Map<String, String>> holding)
            throws InterruptedException {
        Map<String, DeltaDiscoveryResponse> first = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> subscription : SUBSCRIPTIONS.entrySet()) {
            String type = subscription.getKey();
            ads.subscribe(type, subscription.getValue(), holding.getOrDefault(type, Map.of()));
            DeltaDiscoveryResponse response = ads.next(Duration.ofSeconds(5));
            assertThat(response).as(type).isNotNull();
            assertThat(response.getTypeUrl()).isEqualTo(type);
            ads.ack(response);
            first.put(type, response);
        }
        return first;
    }

    @Test
    void servesEveryTypeVersionedByContentAndReportsTheSnapshotsTypeVersions() throws Exception {
        ScopeSnapshot snapshot = snapshot(1001, 1002);
        east.accept(snapshot);
        try (RawDeltaAds ads = envoy(east, "sidecar~10.0.0.1~web-1.ns1~ns1.svc.cluster.local")) {
            Map<String, DeltaDiscoveryResponse> first = subscribeAll(ads, Map.of());
            for (String type : SUBSCRIPTIONS.keySet()) {
                Map<String, String> expected = new TreeMap<>();
                snapshot.resources().get(type).forEach((name, bytes) ->
                        expected.put(name, ScopeSnapshot.hash(bytes).substring(0, 16)));
                assertThat(RawDeltaAds.versions(first.get(type))).as(type).isEqualTo(expected);
                assertThat(first.get(type).getSystemVersionInfo()).isEqualTo(east.currentTypeVersions().get(type));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> ackedVersions(east, "sidecar~10.0.0.1~web-1.ns1~ns1.svc"
                    + ".cluster.local").equals(east.currentTypeVersions()));
            assertThat(ads.next(Duration.ofMillis(300))).as("nothing more until a change").isNull();
        }
    }

    @Test
    void anAnswerToAResponseOlderThanItsTypesLatestCountsAsAnExpiredNonce() throws Exception {
        east.accept(snapshot(1001, 1002));
        try (RawDeltaAds ads = envoy(east, "late-acker")) {
            DeltaDiscoveryResponse first = subscribeAll(ads, Map.of()).get(EDS);
            assertThat(east.expiredNonces()).isEmpty();
            east.accept(snapshot(1003, 1002));
            DeltaDiscoveryResponse second = ads.next(Duration.ofSeconds(5));
            assertThat(second.getTypeUrl()).isEqualTo(EDS);
            ads.ack(first);
            await().atMost(Duration.ofSeconds(5)).until(() -> east.expiredNonces().getOrDefault(EDS, 0L) == 1);
            ads.ack(second);
            await().atMost(Duration.ofSeconds(5)).until(() -> typeStatus(east, "late-acker", EDS).ackedVersion()
                    .equals(second.getSystemVersionInfo()));
            assertThat(east.expiredNonces()).as("the latest answered is not expired").isEqualTo(Map.of(EDS, 1L));
            assertThat(ads.closedStatus()).isNull();
        }
    }

    @Test
    void sotwAndDeltaProxiesOfOneSnapshotShowTheSameVersions() throws Exception {
        east.accept(snapshot(1001, 1002));
        try (RawDeltaAds delta = envoy(east, "delta-1");
             RawAds sotw = new RawAds(east.address(),
                     RawAds.node("sotw-1", XdsClients.metadata("east", "ns1", "sa1")))) {
            subscribeAll(delta, Map.of());
            for (Map.Entry<String, List<String>> subscription : SUBSCRIPTIONS.entrySet()) {
                sotw.request(subscription.getKey(), subscription.getValue(), "", "");
                DiscoveryResponse response = sotw.next(Duration.ofSeconds(5));
                assertThat(response).isNotNull();
                sotw.request(subscription.getKey(), subscription.getValue(), response.getVersionInfo(),
                        response.getNonce());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> ackedVersions(east, "sotw-1").size() == 4
                    && ackedVersions(east, "delta-1").size() == 4);
            assertThat(ackedVersions(east, "delta-1")).isEqualTo(ackedVersions(east, "sotw-1"))
                    .isEqualTo(east.currentTypeVersions());
        }
    }

    @Test
    void aNackedResponseIsNotResentUntilItsResourcesChange() throws Exception {
        east.accept(snapshot(1001, 1002));
        try (RawDeltaAds ads = envoy(east, "nacker")) {
            DeltaDiscoveryResponse bad = nackFirstEndpoints(ads, "endpoint a: port 1001 is not allowed");

            // Without the hold java-control-plane resends it at once, thousands of times a second: the names it
            // carried are still subscribed and not received.
            List<DeltaDiscoveryResponse> resent = ads.during(Duration.ofSeconds(2));
            assertThat(resent).as("resent during the hold").hasSizeLessThanOrEqualTo(1);
            assertThat(east.nacksReceived()).isEqualTo(1);
            ProxyStatus.TypeStatus held = typeStatus(east, "nacker", EDS);
            assertThat(held.ackedVersion()).isNull();
            assertThat(held.nackedVersion()).isEqualTo(bad.getSystemVersionInfo())
                    .isEqualTo(east.currentTypeVersions().get(EDS));
            assertThat(held.error()).isEqualTo("endpoint a: port 1001 is not allowed");
            assertThat(published.stream().filter(p -> p.types().containsKey(EDS))).as("published once").hasSize(1);

            east.accept(snapshot(3001, 3002));
            DeltaDiscoveryResponse fixed = ads.next(Duration.ofSeconds(5));
            assertThat(fixed.getTypeUrl()).isEqualTo(EDS);
            assertThat(RawDeltaAds.versions(fixed)).containsOnlyKeys("a", "b");
            ads.ack(fixed);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    fixed.getSystemVersionInfo().equals(typeStatus(east, "nacker", EDS).ackedVersion()));
            assertThat(typeStatus(east, "nacker", EDS).nackedVersion()).isNull();
        }
    }

    @Test
    void aTypeStaysRejectedUntilEveryResourceOfTheRejectedResponseIsReplaced() throws Exception {
        east.accept(snapshot(1001, 1002));
        try (RawDeltaAds ads = envoy(east, "nacker")) {
            DeltaDiscoveryResponse bad = nackFirstEndpoints(ads, "endpoint a: port 1001 is not allowed");
            east.accept(snapshot(3001, 1002));
            DeltaDiscoveryResponse onlyA = ads.next(Duration.ofSeconds(5));
            assertThat(RawDeltaAds.versions(onlyA)).as("b is unchanged: not resent").containsOnlyKeys("a");
            ads.ack(onlyA);
            assertThat(ads.next(Duration.ofMillis(300))).isNull();
            // The proxy accepted a, but said nothing yet of the endpoints of b it rejected with a.
            assertThat(typeStatus(east, "nacker", EDS).nackedVersion()).isEqualTo(bad.getSystemVersionInfo());
        }
    }

    /** Accepts CDS, LDS and RDS, subscribes to EDS and rejects its first response; that response. */
    static DeltaDiscoveryResponse nackFirstEndpoints(RawDeltaAds ads, String error) throws InterruptedException {
        for (String type : List.of(CDS, LDS, RDS)) {
            ads.subscribe(type, SUBSCRIPTIONS.get(type), Map.of());
            DeltaDiscoveryResponse response = ads.next(Duration.ofSeconds(5));
            assertThat(response).as(type).isNotNull();
            ads.ack(response);
        }
        ads.subscribe(EDS, SUBSCRIPTIONS.get(EDS), Map.of());
        DeltaDiscoveryResponse bad = ads.next(Duration.ofSeconds(5));
        assertThat(bad.getTypeUrl()).isEqualTo(EDS);
        ads.nack(bad, error);
        return bad;
    }

    @Test
    void anUnknownNonceDoesNotEndTheStream() throws Exception {
        east.accept(snapshot(1001, 1002));
        try (RawDeltaAds ads = envoy(east, "repeater")) {
            DeltaDiscoveryResponse clusters = subscribeAll(ads, Map.of()).get(CDS);
            ads.ack(clusters); // a second ACK of one response: java-control-plane alone ends the stream with UNKNOWN
            east.accept(snapshot(2001, 1002));
            DeltaDiscoveryResponse endpoints = ads.next(Duration.ofSeconds(5));
            assertThat(endpoints).as("still served").isNotNull();
            assertThat(endpoints.getTypeUrl()).isEqualTo(EDS);
        }
    }

    @Test
    void aResourceSubscribedToAgainIsSentAgainAndAClusterUnsubscribedByNameIsStillRemovedWhenItGoes()
            throws Exception {
        east.accept(snapshot(1001, 1002));
        try (RawDeltaAds ads = envoy(east, "resubscriber")) {
            subscribeAll(ads, Map.of());
            ads.unsubscribe(EDS, List.of("b"));
            ads.subscribe(EDS, List.of("b"), Map.of());
            DeltaDiscoveryResponse again = ads.next(Duration.ofSeconds(5));
            assertThat(again).as("EDS b again").isNotNull();
            assertThat(RawDeltaAds.versions(again)).containsOnlyKeys("b");
            ads.ack(again);

            // Under its wildcard subscription the proxy keeps cluster b; java-control-plane alone forgets it holds b.
            ads.unsubscribe(CDS, List.of("b"));
            ads.subscribe(CDS, List.of("b"), Map.of());
            assertThat(ads.next(Duration.ofMillis(300))).isNull();

            east.accept(Mesh.split("east", Map.of("a", 100), Map.of("a", 1001)));
            DeltaDiscoveryResponse clusters = ads.next(Duration.ofSeconds(5));
            assertThat(clusters.getTypeUrl()).isEqualTo(CDS);
            assertThat(clusters.getRemovedResourcesList()).containsExactly("b");
        }
    }

    static Map<String, String> ackedVersions(XdsDistributor distributor, String proxyId) {
        Map<String, String> acked = new TreeMap<>();
        distributor.proxies().stream().filter(p -> p.proxyId().equals(proxyId))
                .forEach(p -> p.types().forEach((type, s) -> {
                    if (s.ackedVersion() != null) {
                        acked.put(type, s.ackedVersion());
                    }
                }));
        return acked;
    }

    static ProxyStatus.TypeStatus typeStatus(XdsDistributor distributor, String proxyId, String type) {
        return distributor.proxies().stream().filter(p -> p.proxyId().equals(proxyId)).findFirst()
                .map(p -> p.types().get(type)).orElseThrow();
    }
}
