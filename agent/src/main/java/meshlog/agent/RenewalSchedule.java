package meshlog.agent;

import java.time.Duration;
import java.time.Instant;

/**
 * When to renew, as istio-agent decides it: at half the certificate's lifetime ({@code SECRET_GRACE_PERIOD_RATIO}
 * 0.5), moved by a jitter of up to {@link #JITTER} of the lifetime either way, so agents started together (a node
 * rebooted, a deployment rolled) do not all call the CA in the same second. Pure: the random draw comes in.
 */
final class RenewalSchedule {

    /** istio-agent's {@code SECRET_GRACE_PERIOD_RATIO_JITTER} is 0.01; a little more spreads a storm wider. */
    static final double JITTER = 0.02;
    /** A failed renewal is retried after 1 s, doubling up to this. */
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private RenewalSchedule() {
    }

    /** @param draw uniform in [0, 1) */
    static Instant renewAt(Instant obtainedAt, Instant notAfter, double draw) {
        long lifeMillis = Duration.between(obtainedAt, notAfter).toMillis();
        double ratio = 0.5 + JITTER * (2 * draw - 1);
        return obtainedAt.plusMillis(Math.round(lifeMillis * ratio));
    }

    /** The wait before retry number {@code attempt} (1, 2, ...) after a failed renewal. */
    static Duration retryAfter(int attempt) {
        long seconds = 1L << Math.min(Math.max(attempt - 1, 0), 5);
        return Duration.ofSeconds(Math.min(seconds, MAX_RETRY.toSeconds()));
    }
}
