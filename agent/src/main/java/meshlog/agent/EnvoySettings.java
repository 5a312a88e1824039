package meshlog.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code meshlog agent --envoy} runs Envoy.
 *
 * @param binary       the Envoy executable
 * @param bootstrap    the bootstrap file Envoy is started with (written by the caller)
 * @param workDir      where Envoy's admin address file is written (the pod's {@code istio-envoy} volume)
 * @param concurrency  Envoy's worker threads ({@code --concurrency}; Istio's sidecar default is 2)
 * @param drain        how long SIGTERM lets connections drain before Envoy is stopped (Istio's
 *                     {@code terminationDrainDuration}, 5 s)
 * @param maxFailures  consecutive unexpected exits after which the agent gives up and exits non-zero
 * @param firstBackoff the wait before the first restart, doubled at each further failure up to {@code maxBackoff}
 */
public record EnvoySettings(Path binary, Path bootstrap, Path workDir, int concurrency, Duration drain,
                            int maxFailures, Duration firstBackoff, Duration maxBackoff) {

    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_FAILURES = 10;
    public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

    public EnvoySettings {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(workDir, "workDir");
        if (concurrency < 1 || maxFailures < 1 || drain.isNegative() || firstBackoff.isNegative()
                || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("concurrency and maxFailures must be positive, drain and backoffs"
                    + " not negative, maxBackoff at least firstBackoff: " + concurrency + ", " + maxFailures + ", "
                    + drain + ", " + firstBackoff + ", " + maxBackoff);
        }
    }

    /** The wait before restart number {@code n} (1-based): {@code firstBackoff * 2^(n-1)}, at most maxBackoff. */
    Duration backoff(int n) {
        long millis = firstBackoff.toMillis() << Math.min(30, Math.max(0, n - 1));
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
