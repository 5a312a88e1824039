package meshlog.xds.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import meshlog.configstore.status.ProxyStatus.TypeStatus;
import org.junit.jupiter.api.Test;

class TypeStatusesTest {

    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    static final Instant T1 = T0.plusSeconds(1);

    @Test
    void anAckOfANewVersionClearsTheNack() {
        TypeStatus nacked = new TypeStatus("v1", "v2", "bad", T0);
        assertThat(TypeStatuses.acked(nacked, "v3", T1)).isEqualTo(new TypeStatus("v3", null, null, T1));
    }

    @Test
    void aReAckOfTheOldVersionKeepsTheNack() {
        TypeStatus nacked = new TypeStatus("v1", "v2", "bad", T0);
        assertThat(TypeStatuses.acked(nacked, "v1", T1)).isSameAs(nacked);
    }

    @Test
    void aNackKeepsTheLastAcceptedVersion() {
        assertThat(TypeStatuses.nacked(new TypeStatus("v1", null, null, T0), "v2", "bad", T1))
                .isEqualTo(new TypeStatus("v1", "v2", "bad", T1));
        assertThat(TypeStatuses.nacked(null, "v1", "bad", T1)).isEqualTo(new TypeStatus(null, "v1", "bad", T1));
    }

    @Test
    void theTimeAloneIsNoChange() {
        assertThat(TypeStatuses.sameOutcome(new TypeStatus("v1", null, null, T0), new TypeStatus("v1", null, null, T1)))
                .isTrue();
        assertThat(TypeStatuses.sameOutcome(null, new TypeStatus("v1", null, null, T1))).isFalse();
    }
}
