package meshlog.xds.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VersionConvergenceTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final VersionConvergence c = new VersionConvergence();

    static Set<Long> streams(long... ids) {
        Set<Long> out = new HashSet<>();
        for (long id : ids) {
            out.add(id);
        }
        return out;
    }

    @Test
    void convergesAtTheLastPushedStreamsAckWithThatAcksTime() {
        assertThat(c.pushed("s", "v1", "c1", T0, streams(1, 2), null)).isEmpty();
        assertThat(c.acked(2, "s", "v1", T0.plusMillis(30))).isEmpty();
        assertThat(c.acked(2, "s", "v1", T0.plusMillis(40))).as("a repeated ACK adds nothing").isEmpty();
        assertThat(c.acked(1, "s", "v1", T0.plusMillis(70)))
                .contains(new VersionConvergence.Converged("s", "v1", "c1", T0, T0.plusMillis(70)));
        assertThat(c.acked(1, "s", "v1", T0.plusMillis(80))).as("once").isEmpty();
    }

    @Test
    void aNewerVersionReplacesAPendingOneWhichNeverConverges() {
        c.pushed("s", "v1", "c1", T0, streams(1), null);
        c.pushed("s", "v2", "c2", T0.plusMillis(5), streams(1), null);
        assertThat(c.acked(1, "s", "v1", T0.plusMillis(10))).isEmpty();
        assertThat(c.acked(1, "s", "v2", T0.plusMillis(20))).map(VersionConvergence.Converged::commit)
                .contains("c2");
    }

    @Test
    void aStreamThatClosesIsNotWaitedForButNothingConvergesWithoutAnyAck() {
        c.pushed("s", "v1", "c1", T0, streams(1, 2), null);
        assertThat(c.acked(1, "s", "v1", T0.plusMillis(10))).isEmpty();
        assertThat(c.gone(2)).map(VersionConvergence.Converged::lastAck).contains(T0.plusMillis(10));
        c.pushed("t", "v1", "c1", T0, streams(3), null);
        assertThat(c.gone(3)).isEmpty();
    }

    @Test
    void streamsThatAckedBeforeThePushWasRecordedCount() {
        assertThat(c.pushed("s", "v1", "c1", T0, streams(), T0.plusMillis(3)))
                .map(VersionConvergence.Converged::lastAck).contains(T0.plusMillis(3));
        assertThat(c.pushed("s", "v2", "c2", T0, streams(), null)).isEqualTo(Optional.empty());
    }
}
