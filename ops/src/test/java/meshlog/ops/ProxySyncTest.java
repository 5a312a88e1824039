package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import meshlog.configstore.status.ProxyStatus;
import meshlog.configstore.status.ProxyStatus.TypeStatus;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.api.Test;

/** A proxy's per-type state as {@code proxy-status} prints it, and the paging of {@code /api/proxies}. */
class ProxySyncTest {

    static final Instant T = Instant.parse("2026-12-07T16:00:00Z");

    static TypeStatus acked(String v) {
        return new TypeStatus(v, null, null, T);
    }

    static ProxySync.Row row(String cluster, String id, String scope, Map<String, TypeStatus> types) {
        return ProxySync.row(cluster, "east-0", scope, new ProxyStatus(cluster, id, "127.0.0.1:1", true, types, T),
                Map.of(TypeUrls.CLUSTER, "v2", TypeUrls.LISTENER, "v2", TypeUrls.ENDPOINT, "v2"));
    }

    @Test
    void eachTypeIsSyncedStaleNackOrNotSentAndTheProxyIsItsWorst() {
        ProxySync.Row r = row("east", "sidecar~10.0.0.1~a.shop~shop.svc.cluster.local", "sidecar~shop~REDIRECT~1",
                Map.of(TypeUrls.CLUSTER, acked("v2"), TypeUrls.LISTENER, acked("v1"),
                        TypeUrls.ENDPOINT, new TypeStatus("v1", "v2", "cluster x: minimum_ring_size", T)));
        assertThat(r.types()).containsExactly(Map.entry("CDS", "SYNCED"), Map.entry("LDS", "STALE"),
                Map.entry("EDS", "NACK"), Map.entry("RDS", "NOT SENT"));
        assertThat(r.state()).isEqualTo("NACK");
        assertThat(r.errors()).isEqualTo(Map.of("EDS", "cluster x: minimum_ring_size"));
        assertThat(r.namespace()).isEqualTo("shop");
        assertThat(r.version()).isEqualTo("v2");

        ProxySync.Row stale = row("east", "p", "grpc~shop", Map.of(TypeUrls.CLUSTER, acked("v2")));
        assertThat(stale.types()).containsExactly(Map.entry("CDS", "SYNCED"), Map.entry("LDS", "STALE"),
                Map.entry("EDS", "STALE"), Map.entry("RDS", "NOT SENT"));
        assertThat(stale.state()).isEqualTo("STALE");

        ProxySync.Row synced = row("east", "p", "grpc", Map.of(TypeUrls.CLUSTER, acked("v2"),
                TypeUrls.LISTENER, acked("v2"), TypeUrls.ENDPOINT, acked("v2")));
        assertThat(synced.state()).isEqualTo("SYNCED");
        assertThat(synced.namespace()).isEmpty();
    }

    @Test
    void aSyncedProxyHoldsTheServedCommitAndOneNackingTheServedVersionRejectsIt() {
        Map<String, String> served = Map.of(TypeUrls.CLUSTER, "v2", TypeUrls.LISTENER, "v2");
        ProxySync.Row synced = ProxySync.row("east", "east-0", "grpc", new ProxyStatus("east", "p", "127.0.0.1:1",
                true, Map.of(TypeUrls.CLUSTER, acked("v2"), TypeUrls.LISTENER, acked("v2")), T), served, "c2");
        assertThat(synced.ackedCommit()).isEqualTo("c2");
        assertThat(synced.nackedCommit()).isNull();

        ProxySync.Row nack = ProxySync.row("east", "east-0", "grpc", new ProxyStatus("east", "p", "127.0.0.1:1",
                true, Map.of(TypeUrls.CLUSTER, new TypeStatus("v1", "v2", "bad ring", T),
                        TypeUrls.LISTENER, acked("v2")), T), served, "c2");
        assertThat(nack.nackedCommit()).isEqualTo("c2");
        assertThat(nack.ackedCommit()).as("it holds v1, of an older commit").isNull();

        ProxySync.Row stale = ProxySync.row("east", "east-0", "grpc", new ProxyStatus("east", "p", "127.0.0.1:1",
                true, Map.of(TypeUrls.CLUSTER, acked("v2"), TypeUrls.LISTENER, acked("v1")), T), served, "c2");
        assertThat(stale.ackedCommit()).isNull();
    }

    @Test
    void aLongNackErrorIsCut() {
        String error = "x".repeat(5000);
        ProxySync.Row r = row("east", "p", "grpc~a", Map.of(TypeUrls.CLUSTER, new TypeStatus(null, "v2", error, T)));
        assertThat(r.errors().get("CDS")).hasSize(ProxySync.MAX_ERROR + 3).endsWith("x...");
    }

    @Test
    void pagesFollowClusterThenProxyIdAndFiltersCountTheTotal() {
        Map<String, TypeStatus> ok = Map.of(TypeUrls.CLUSTER, acked("v2"), TypeUrls.LISTENER, acked("v2"),
                TypeUrls.ENDPOINT, acked("v2"));
        List<ProxySync.Row> rows = List.of(row("west", "b", "grpc~shop", ok), row("east", "c", "grpc~shop", ok),
                row("east", "a", "grpc~web", Map.of()), row("east", "b", "grpc~shop", ok));
        ProxyPage first = ProxyPage.of(rows, ProxyPage.parse(Map.of("limit", "2")));
        assertThat(first.items()).extracting(ProxyPage::cursor).containsExactly("east/a", "east/b");
        assertThat(first.total()).isEqualTo(4);
        assertThat(first.next()).isEqualTo("east/b");
        ProxyPage second = ProxyPage.of(rows, ProxyPage.parse(Map.of("limit", "2", "after", first.next())));
        assertThat(second.items()).extracting(ProxyPage::cursor).containsExactly("east/c", "west/b");
        assertThat(second.next()).isNull();

        ProxyPage shopEast = ProxyPage.of(rows, ProxyPage.parse(Map.of("cluster", "east", "namespace", "shop")));
        assertThat(shopEast.items()).extracting(ProxyPage::cursor).containsExactly("east/b", "east/c");
        ProxyPage stale = ProxyPage.of(rows, ProxyPage.parse(Map.of("state", "STALE")));
        assertThat(stale.items()).extracting(ProxyPage::cursor).containsExactly("east/a");
        assertThat(ProxyPage.of(rows, ProxyPage.parse(Map.of("q", "c"))).total()).isEqualTo(1);
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        assertThat(message(Map.of("limit", "0"))).isEqualTo("limit must be 1 to 1000, not 0");
        assertThat(message(Map.of("limit", "ten"))).isEqualTo("limit must be 1 to 1000, not ten");
        assertThat(message(Map.of("state", "OK"))).isEqualTo("state must be SYNCED, STALE or NACK, not OK");
        assertThat(message(Map.of("page", "2"))).isEqualTo(
                "unknown parameter page (cluster, namespace, state, q, limit, after)");
        assertThat(message(Map.of("q", "x".repeat(2000)))).isEqualTo(
                "parameter q is longer than 1024 characters");
    }

    static String message(Map<String, String> params) {
        try {
            ProxyPage.parse(params);
            return "accepted";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
