package meshlog.xds.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import meshlog.configstore.status.SnapshotAcks;
import org.junit.jupiter.api.Test;

class AckBatcherTest {

    static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    static Answer ack(int i) {
        return new Answer("grpc", "v1", "c1", T0, "p" + i, T0.minusSeconds(1), T0.plusMillis(i), null, null);
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking_andAFlushWritesOneRecordForTheRest() {
        List<SnapshotAcks> sent = new CopyOnWriteArrayList<>();
        // A flush interval far beyond the test: only close() flushes.
        try (AckBatcher batcher = new AckBatcher("east", () -> "d", Clock.fixed(T0, ZoneOffset.UTC), 1000,
                Duration.ofHours(1))) {
            batcher.reportTo(sent::add);
            long t0 = System.nanoTime();
            for (int i = 0; i < 1500; i++) {
                batcher.offer(ack(i));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("1,500 offers never wait")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(batcher.dropped()).isEqualTo(500);
            batcher.flush();
            assertThat(sent).singleElement().satisfies(r -> assertThat(r.acked()).isEqualTo(1000));
            assertThat(batcher.records()).isEqualTo(1);
        }
    }

    @Test
    void aSinkThatThrowsLosesThatBatchOnly() {
        List<SnapshotAcks> sent = new CopyOnWriteArrayList<>();
        try (AckBatcher batcher = new AckBatcher("east", () -> "d", Clock.fixed(T0, ZoneOffset.UTC), 10,
                Duration.ofHours(1))) {
            batcher.reportTo(r -> {
                throw new IllegalStateException("broker gone");
            });
            batcher.offer(ack(1));
            batcher.flush();
            batcher.reportTo(sent::add);
            batcher.offer(ack(2));
            batcher.flush();
            assertThat(sent).singleElement().satisfies(r -> assertThat(r.acked()).isEqualTo(1));
        }
    }
}
