package meshlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {

    private static final Instant OBTAINED = Instant.parse("2026-12-07T00:00:00Z");
    private static final Instant EXPIRES = OBTAINED.plus(Duration.ofHours(24));

    @Test
    void renewsAtHalfTheLifetimeWithoutJitterInTheMiddleOfTheDraw() {
        assertThat(RenewalSchedule.renewAt(OBTAINED, EXPIRES, 0.5)).isEqualTo(OBTAINED.plus(Duration.ofHours(12)));
    }

    @Test
    void theJitterMovesItAtMostTwoPercentOfTheLifetimeEitherWay() {
        Duration twoPercent = Duration.ofHours(24).multipliedBy(2).dividedBy(100);
        assertThat(RenewalSchedule.renewAt(OBTAINED, EXPIRES, 0.0))
                .isEqualTo(OBTAINED.plus(Duration.ofHours(12)).minus(twoPercent));
        assertThat(RenewalSchedule.renewAt(OBTAINED, EXPIRES, 0.999999))
                .isBefore(OBTAINED.plus(Duration.ofHours(12)).plus(twoPercent).plusSeconds(1))
                .isAfter(OBTAINED.plus(Duration.ofHours(12)).plus(twoPercent).minusSeconds(1));
    }

    @Test
    void aTwentySecondCertificateIsRenewedAroundTenSeconds() {
        Instant at = RenewalSchedule.renewAt(OBTAINED, OBTAINED.plusSeconds(20), 0.25);
        assertThat(Duration.between(OBTAINED, at)).isEqualTo(Duration.ofMillis(9_800));
    }

    @Test
    void retriesBackOffFromOneSecondToThirty() {
        assertThat(RenewalSchedule.retryAfter(1)).hasSeconds(1);
        assertThat(RenewalSchedule.retryAfter(2)).hasSeconds(2);
        assertThat(RenewalSchedule.retryAfter(5)).hasSeconds(16);
        assertThat(RenewalSchedule.retryAfter(6)).hasSeconds(30);
        assertThat(RenewalSchedule.retryAfter(100)).hasSeconds(30);
    }
}
