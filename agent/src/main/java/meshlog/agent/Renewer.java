package meshlog.agent;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the workload's certificate current: the first one at start, then a new key and certificate at half the
 * lifetime with jitter ({@link RenewalSchedule}); a failed renewal is retried with backoff while the current
 * certificate is still valid. Every new certificate goes to the listeners (SDS streams, files, the upstream mTLS).
 */
final class Renewer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.agent");

    private final CertificateSource source;
    private final Clock clock;
    private final DoubleSupplier draw;
    private final List<Consumer<Credentials>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meshlog-agent-renewal");
        t.setDaemon(true);
        return t;
    });
    private volatile Credentials current;
    private volatile int renewals;

    Renewer(CertificateSource source, Clock clock, DoubleSupplier draw) {
        this.source = source;
        this.clock = clock;
        this.draw = draw;
    }

    /** Gets the first certificate now (a refusal is thrown, with the CA's reason) and schedules its renewal. */
    Credentials start() throws IOException {
        current = source.issue(null);
        LOG.info("certificate issued: {}", current);
        schedule(current);
        return current;
    }

    Credentials current() {
        return current;
    }

    /** Certificates obtained since start, the first included. */
    int issued() {
        return renewals + 1;
    }

    /** Called with each renewed certificate, on the renewal thread. */
    void onRenewal(Consumer<Credentials> listener) {
        listeners.add(listener);
    }

    void removeListener(Consumer<Credentials> listener) {
        listeners.remove(listener);
    }

    private void schedule(Credentials c) {
        Instant at = RenewalSchedule.renewAt(c.obtainedAt(), c.notAfter(), draw.getAsDouble());
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        LOG.info("renewal of {} scheduled at {}", c.spiffeId(), at);
        timer.schedule(() -> renew(1), delay, TimeUnit.MILLISECONDS);
    }

    private void renew(int attempt) {
        try {
            Credentials next = source.issue(current);
            current = next;
            renewals++;
            LOG.info("certificate renewed: {}", next);
            for (Consumer<Credentials> listener : listeners) {
                try {
                    listener.accept(next);
                } catch (RuntimeException e) {
                    LOG.warn("a renewal listener failed: {}", e.toString());
                }
            }
            schedule(next);
        } catch (IOException | RuntimeException e) {
            Duration wait = RenewalSchedule.retryAfter(attempt);
            String state = CertificateSource.expired(current, clock.instant()) ? "EXPIRED" : "valid until "
                    + current.notAfter();
            LOG.warn("renewal attempt {} failed (current certificate {}), retrying in {} s: {}", attempt, state,
                    wait.toSeconds(), e.toString());
            timer.schedule(() -> renew(attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
