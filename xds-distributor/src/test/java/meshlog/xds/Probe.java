package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A well-behaved proxy on its own stream: every 100 ms it asks for its listener again (naming the latest response,
 * as a proxy changing its subscription does) and times the answer (but the first, which includes connecting).
 */
final class Probe implements AutoCloseable {

    static final String ID = "well-behaved";
    /** What a well-behaved proxy waits at most for an answer, attack or not (a shared 2-core machine). */
    static final Duration MAX_LATENCY = Duration.ofSeconds(3);

    private final RawAds ads;
    private final Thread thread;
    private final AtomicLong maxNanos = new AtomicLong();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger missed = new AtomicInteger();
    private volatile boolean stop;

    private Probe(String address) {
        ads = new RawAds(address, HostileClientTest.node(ID));
        thread = new Thread(this::run, "probe");
        thread.setDaemon(true);
    }

    static Probe start(String address) {
        Probe p = new Probe(address);
        p.thread.start();
        return p;
    }

    private void run() {
        String nonce = "";
        while (!stop) {
            long t0 = System.nanoTime();
            ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", nonce);
            DiscoveryResponse r;
            try {
                r = ads.next(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                return;
            }
            if (r == null) {
                missed.incrementAndGet();
                continue;
            }
            nonce = r.getNonce();
            // The first answer includes connecting and issuing the group's certificate: not what is measured.
            if (answered.getAndIncrement() > 0) {
                maxNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long maxLatencyMillis() {
        return maxNanos.get() / 1_000_000;
    }

    int answered() {
        return answered.get();
    }

    /** Also waits for one more answer, so it was served after what came before, too. */
    void assertServedThroughout() {
        // At least two answers (the first is not timed), and one more than before.
        int wanted = Math.max(answered.get() + 1, 2);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> answered.get() >= wanted);
        assertThat(missed).as("requests of the well-behaved proxy left unanswered").hasValue(0);
        assertThat(answered.get()).as("answers to the well-behaved proxy").isGreaterThan(1);
        assertThat(Duration.ofNanos(maxNanos.get())).as("slowest answer").isLessThan(MAX_LATENCY);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(15_000);
        ads.close();
    }
}
