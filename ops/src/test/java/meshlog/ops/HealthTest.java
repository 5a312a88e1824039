package meshlog.ops;

import static meshlog.ops.AdminServerTest.body;
import static meshlog.ops.AdminServerTest.request;
import static meshlog.ops.AdminServerTest.statusLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /healthz} (can the process serve at all) and {@code /readyz} (is it serving the current config), from the
 * real heap guard and watchdog behind a real admin server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HealthTest {

    /** What NodeStatus does: liveness from the heap and the watchdog, readiness adds the components' progress. */
    static AdminServer.StatusSource source(HeapGuard heap, Watchdog watchdog, Map<String, String> progress) {
        return new AdminServer.StatusSource() {
            @Override
            public Map<String, String> problems() {
                Map<String, String> out = new TreeMap<>(watchdog.stuck());
                if (heap.problem() != null) {
                    out.put("heap", heap.problem());
                }
                return out;
            }

            @Override
            public Map<String, String> notReady() {
                Map<String, String> out = new TreeMap<>(problems());
                out.putAll(progress);
                return out;
            }

            @Override
            public Object status() {
                return Map.of();
            }
        };
    }

    @Test
    void notCaughtUpIsLiveButNotReady() throws Exception {
        HeapGuard heap = HeapGuard.install(100);
        Map<String, String> progress = new java.util.concurrent.ConcurrentHashMap<>(
                Map.of("distributor east-0", "reading snapshots"));
        try (Watchdog watchdog = new Watchdog(Duration.ofMillis(50), Duration.ofSeconds(5), System::nanoTime);
             AdminServer admin = AdminServer.start("127.0.0.1", 0, null, source(heap, watchdog, progress))) {
            int port = admin.port();
            String health = request(port, "GET", "/healthz", "Host: localhost");
            assertThat(statusLine(health)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(body(health)).isEqualTo("{\"up\":true,\"problems\":{}}");
            String ready = request(port, "GET", "/readyz", "Host: localhost");
            assertThat(statusLine(ready)).isEqualTo("HTTP/1.1 503 Service Unavailable");
            assertThat(body(ready)).isEqualTo("{\"ready\":false,\"problems\":{\"distributor east-0\":\"reading"
                    + " snapshots\"}}");
            progress.clear();
            assertThat(statusLine(request(port, "GET", "/readyz", "Host: localhost"))).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aComponentWhoseHeartbeatStopsMakesHealthz503UntilItComesBack() throws Exception {
        HeapGuard heap = HeapGuard.install(100);
        ReentrantLock distributorLock = new ReentrantLock();
        try (Watchdog watchdog = new Watchdog(Duration.ofMillis(50), Duration.ofMillis(500), System::nanoTime);
             AdminServer admin = AdminServer.start("127.0.0.1", 0, null, source(heap, watchdog, Map.of()))) {
            watchdog.watch("distributor east-0", () -> {
                distributorLock.lock();
                distributorLock.unlock();
            });
            int port = admin.port();
            assertThat(statusLine(request(port, "GET", "/healthz", "Host: localhost"))).isEqualTo("HTTP/1.1 200 OK");
            distributorLock.lock(); // a push that never ends holds the distributor's lock
            try {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    String health = request(port, "GET", "/healthz", "Host: localhost");
                    assertThat(statusLine(health)).isEqualTo("HTTP/1.1 503 Service Unavailable");
                    assertThat(body(health)).startsWith("{\"up\":false,\"problems\":{\"distributor east-0\":\"stuck:"
                            + " no heartbeat for ");
                    assertThat(statusLine(request(port, "GET", "/readyz", "Host: localhost")))
                            .isEqualTo("HTTP/1.1 503 Service Unavailable");
                });
            } finally {
                distributorLock.unlock();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    statusLine(request(port, "GET", "/healthz", "Host: localhost"))).isEqualTo("HTTP/1.1 200 OK"));
        }
    }

    @Test
    void aHeapFullAfterGcOrAnOutOfMemoryErrorMakesHealthz503() throws Exception {
        HeapGuard heap = HeapGuard.install(1); // 1 % of the old generation: what this JVM holds already
        byte[][] live = new byte[16][];
        try (Watchdog watchdog = new Watchdog(Duration.ofMillis(50), Duration.ofSeconds(5), System::nanoTime);
             AdminServer admin = AdminServer.start("127.0.0.1", 0, null, source(heap, watchdog, Map.of()))) {
            for (int i = 0; i < live.length; i++) {
                live[i] = new byte[1 << 20];
            }
            System.gc();
            String health = request(admin.port(), "GET", "/healthz", "Host: localhost");
            assertThat(statusLine(health)).isEqualTo("HTTP/1.1 503 Service Unavailable");
            assertThat(body(health)).contains("\"heap\":\"heap pool '", "after GC, over ",
                    "(1 % of ", "-Dmeshlog.healthz.heapPercent)");
        }
        assertThat(live[15]).hasSize(1 << 20);

        HeapGuard oom = HeapGuard.install(100);
        try (Watchdog watchdog = new Watchdog(Duration.ofMillis(50), Duration.ofSeconds(5), System::nanoTime);
             AdminServer admin = AdminServer.start("127.0.0.1", 0, null, source(oom, watchdog, Map.of()))) {
            String before = request(admin.port(), "GET", "/healthz", "Host: localhost");
            assertThat(statusLine(before)).as(before).isEqualTo("HTTP/1.1 200 OK");
            Thread dies = new Thread(() -> {
                throw new OutOfMemoryError("Java heap space");
            }, "snapshot-subscriber-east");
            dies.start();
            dies.join(5_000);
            String health = request(admin.port(), "GET", "/healthz", "Host: localhost");
            assertThat(statusLine(health)).isEqualTo("HTTP/1.1 503 Service Unavailable");
            assertThat(body(health)).isEqualTo("{\"up\":false,\"problems\":{\"heap\":\"OutOfMemoryError in thread"
                    + " snapshot-subscriber-east\"}}");
        }
    }
}
