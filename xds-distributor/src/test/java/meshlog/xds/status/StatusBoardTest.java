package meshlog.xds.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import meshlog.configstore.status.ProxyStatus;
import meshlog.configstore.status.ProxyStatus.TypeStatus;
import meshlog.xds.proxy.ProxyNode;
import org.junit.jupiter.api.Test;

class StatusBoardTest {

    static final String RDS = Resources.V3.ROUTE_TYPE_URL;
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    final List<ProxyStatus> published = new ArrayList<>();
    final StatusBoard board = new StatusBoard("east", () -> "127.0.0.1:15010", published::add,
            Clock.fixed(NOW, ZoneOffset.UTC));
    final ProxyNode proxy = new ProxyNode("proxy-1", "east", "ns1", "sa1",
            meshlog.configstore.scope.ProxyScope.GRPC);

    @Test
    void publishesConnectionAckNackAndDisconnect() {
        board.connected(1, proxy);
        board.acked(1, RDS, "v1");
        board.nacked(1, RDS, "v2", "bad weights");

        assertThat(board.proxies()).singleElement().satisfies(status -> {
            assertThat(status.connected()).isTrue();
            assertThat(status.distributor()).isEqualTo("127.0.0.1:15010");
            assertThat(status.types().get(RDS)).isEqualTo(new TypeStatus("v1", "v2", "bad weights", NOW));
        });
        board.disconnected(1);

        assertThat(board.proxies()).isEmpty();
        assertThat(published).extracting(ProxyStatus::connected).containsExactly(true, true, true, false);
        assertThat(published.get(3).types().get(RDS).nackedVersion()).isEqualTo("v2");
        assertThat(board.nacksReceived()).isEqualTo(1);
    }

    @Test
    void aRepeatedOutcomeIsNotPublishedAgain() {
        board.connected(1, proxy);
        board.nacked(1, RDS, "v2", "bad");
        board.nacked(1, RDS, "v2", "bad");
        assertThat(published).hasSize(2);
        assertThat(board.nacksReceived()).isEqualTo(2);
        assertThat(board.nacksReceived(RDS)).isEqualTo(2);
        assertThat(board.nacksReceived("type.googleapis.com/envoy.config.cluster.v3.Cluster")).isZero();
    }

    @Test
    void nacksOfMoreTypesThanAreToldApartAreCountedAsOther() {
        board.connected(1, proxy);
        for (int i = 0; i < StatusBoard.NACK_TYPES_KEPT + 3; i++) {
            board.nacked(1, "type.googleapis.com/made.up.Type" + i, "v1", "bad");
        }
        board.nacked(1, "type.googleapis.com/made.up.Type0", "v1", "bad");
        assertThat(board.nacksReceived("type.googleapis.com/made.up.Type0")).isEqualTo(2);
        assertThat(board.nacksReceived(StatusBoard.OTHER_TYPES)).isEqualTo(3);
        assertThat(board.nacksReceived()).isEqualTo(StatusBoard.NACK_TYPES_KEPT + 4);
    }

    @Test
    void aProxyStillConnectedOnAnotherStreamIsNotReportedGone() {
        board.connected(1, proxy);
        board.connected(2, proxy);
        board.disconnected(1);
        assertThat(published).extracting(ProxyStatus::connected).containsExactly(true, true);
        assertThat(board.proxies()).hasSize(1);
    }

    @Test
    void aSinkThatThrowsDoesNotBreakTheBoard() {
        StatusBoard failing = new StatusBoard("east", () -> "x", s -> {
            throw new IllegalStateException("kafka down");
        }, Clock.systemUTC());
        failing.connected(1, proxy);
        failing.acked(1, RDS, "v1");
        assertThat(failing.proxies().get(0).types().get(RDS).ackedVersion()).isEqualTo("v1");
    }

    @Test
    void fiveHundredHugeNacksOfOneGroupAreOneBoundedLineAndOneSummary() {
        List<String> lines = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        meshlog.configstore.RateLimitedLog log = new meshlog.configstore.RateLimitedLog(lines::add,
                java.time.Duration.ofSeconds(10), 256, nanos::get);
        StatusBoard logged = new StatusBoard("east", () -> "x", published::add, Clock.fixed(NOW, ZoneOffset.UTC), log);
        String error = "bad\nINFO forged " + "e".repeat(100_000);
        for (int i = 0; i < 500; i++) {
            logged.connected(i, new ProxyNode("proxy-" + i, "east", "ns1", "sa1",
                    meshlog.configstore.scope.ProxyScope.GRPC));
            logged.nacked(i, RDS, "v2", error);
        }
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("NACK proxy=proxy-0 group=grpc ns1/sa1 type=RouteConfiguration version=v2"
                + " error=bad\\nINFO forged eee").doesNotContain("\n").hasSizeLessThan(800);
        assertThat(logged.proxies().get(0).types().get(RDS).error()).hasSize(4096 + "…(+95920 chars)".length())
                .endsWith("…(+95920 chars)");
        assertThat(logged.nacksReceived()).isEqualTo(500);
        nanos.addAndGet(java.time.Duration.ofSeconds(10).toNanos());
        log.flush();
        assertThat(lines).hasSize(2).last().isEqualTo("NACK grpc ns1/sa1 RouteConfiguration: 499 more in the 10000 ms"
                + " since the first was logged (repeats are counted, not logged)");
    }

    @Test
    void reportsNothingForAnUnknownStream() {
        board.acked(9, RDS, "v1");
        board.disconnected(9);
        assertThat(published).isEmpty();
    }
}
