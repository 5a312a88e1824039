package meshlog.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyncHealthTest {

    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(5);

    @Test
    void aWatchDownPastTheGraceIsStaleAndNamesWhatIsKept() {
        SyncHealth h = new SyncHealth("east", true, T0, T0.minusSeconds(60), null);
        assertThat(h.problem(T0.plusSeconds(5), GRACE)).isEmpty(); // within the grace: a reconnect, not an outage
        assertThat(h.stale(T0.plusSeconds(6), GRACE)).isTrue();
        assertThat(h.problem(T0.plusSeconds(6), GRACE)).contains("stale: the watch of cluster east's API server is"
                + " down since 2026-12-07T09:00:00Z; the endpoints published at 2026-12-07T08:59:00Z stay until it"
                + " is back");
    }

    @Test
    void notReadyBeforeTheFirstListAndAfterAFailedPublish() {
        assertThat(new SyncHealth("east", false, null, null, null).problem(T0, GRACE)).contains("API server of"
                + " cluster east not reached yet (its first LIST is pending); meshlog.endpoints keeps what an earlier"
                + " run published");
        assertThat(new SyncHealth("east", true, null, null, null).problem(T0, GRACE))
                .contains("publishing the first endpoints of cluster east");
        assertThat(new SyncHealth("east", true, null, T0, "broker away").problem(T0, GRACE))
                .contains("publishing endpoints of cluster east failed: broker away");
        assertThat(new SyncHealth("east", true, null, T0, null).problem(T0, GRACE)).isEmpty();
    }
}
