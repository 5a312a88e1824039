package meshlog.xds.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import meshlog.configstore.status.SnapshotAcks;
import org.junit.jupiter.api.Test;

class AckBatchTest {

    static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
    static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    static Answer ack(String proxy, long connectedMs, long ackMs) {
        return new Answer("grpc", "v1", "c1", T0, proxy, T0.plusMillis(connectedMs), T0.plusMillis(ackMs), null, null);
    }

    static Answer nack(String proxy, String error) {
        return new Answer("grpc", "v1", "c1", T0, proxy, T0.minusSeconds(1), T0.plusMillis(5), CDS, error);
    }

    @Test
    void manyProxiesOfOneVersionMakeOneRecordWithPushedLatenciesBucketed() {
        AckBatch batch = new AckBatch();
        batch.add(ack("p1", -1000, 12));
        batch.add(ack("p2", -1000, 12));
        batch.add(ack("p3", -1000, 1234));
        batch.add(ack("late", 500, 600)); // connected after the version was served: found it, not measured

        List<SnapshotAcks> out = batch.drain("east", "10.0.0.1:15010", T0.plusSeconds(2));

        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.acked()).isEqualTo(4);
            assertThat(r.nacked()).isZero();
            assertThat(r.pushedAckMs()).isEqualTo(Map.of(12L, 2, 1200L, 1));
            assertThat(r.firstAck()).isEqualTo(T0.plusMillis(12));
            assertThat(r.lastAck()).isEqualTo(T0.plusMillis(1234));
            assertThat(r.lastPushedAck()).isEqualTo(T0.plusMillis(1234));
            assertThat(r.servedSince()).isEqualTo(T0);
            assertThat(r.distributor()).isEqualTo("10.0.0.1:15010");
        });
    }

    @Test
    void aProxyReconnectingAndAckingAgainIsCountedOnce_andADrainWithoutNewAnswersWritesNothing() {
        AckBatch batch = new AckBatch();
        batch.add(ack("p1", -10, 5));
        assertThat(batch.drain("east", "d", T0)).singleElement().satisfies(r -> assertThat(r.acked()).isEqualTo(1));
        batch.add(ack("p1", 100, 200));
        assertThat(batch.drain("east", "d", T0)).isEmpty();
        batch.add(ack("p2", 100, 200));
        assertThat(batch.drain("east", "d", T0)).singleElement().satisfies(r -> {
            assertThat(r.acked()).isEqualTo(1);
            assertThat(r.pushedAckMs()).isEmpty();
            assertThat(r.lastPushedAck()).isNull();
        });
    }

    @Test
    void nackErrorsAreDistinctCountedEscapedAndBounded() {
        AckBatch batch = new AckBatch();
        batch.add(nack("p1", "bad ring\n\u001b[31m"));
        batch.add(nack("p2", "bad ring\n\u001b[31m"));
        for (int i = 0; i < SnapshotAcks.NACK_ERRORS_MAX + 3; i++) {
            batch.add(nack("q" + i, "error " + i));
        }
        batch.add(nack("big", "x".repeat(5000)));

        SnapshotAcks r = batch.drain("east", "d", T0).get(0);

        assertThat(r.nacked()).isEqualTo(2 + SnapshotAcks.NACK_ERRORS_MAX + 3 + 1);
        assertThat(r.nacks()).hasSize(SnapshotAcks.NACK_ERRORS_MAX);
        assertThat(r.nacks().get(0)).isEqualTo(new SnapshotAcks.NackError(CDS, "bad ring\\n\\u001b[31m", 2, "p1"));
        assertThat(r.nackErrorsUnlisted()).isEqualTo(3 + 1 + 1);
        assertThat(r.acked()).isZero();
        assertThat(r.firstAck()).isNull();
    }

    @Test
    void idleVersionsAreForgottenAndAtMostVersionsMaxAreRemembered() {
        AckBatch batch = new AckBatch();
        for (int i = 0; i < AckBatch.VERSIONS_MAX + 10; i++) {
            batch.add(new Answer("grpc", "v" + i, "c1", T0, "p", T0, T0, null, null));
        }
        assertThat(batch.drain("east", "d", T0)).hasSize(AckBatch.VERSIONS_MAX + 10);
        assertThat(batch.remembered()).isEqualTo(AckBatch.VERSIONS_MAX);
        batch.drain("east", "d", T0.plus(AckBatch.IDLE).plusSeconds(1));
        assertThat(batch.remembered()).isZero();
    }
}
