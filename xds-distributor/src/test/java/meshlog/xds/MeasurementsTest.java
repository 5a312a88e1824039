package meshlog.xds;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshlog.configstore.snapshot.ScopeSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Numbers, not assertions: run with {@code -Dmeshlog.measure=true}. Prints the time from {@code accept(snapshot)} to
 * the client routing by it, and NACK requests per second with and without the NACK hold.
 */
@EnabledIfSystemProperty(named = "meshlog.measure", matches = "true")
class MeasurementsTest {

    static Backends backends;

    @BeforeAll
    static void backends() {
        backends = Backends.start("a", "b");
    }

    @AfterAll
    static void stopBackends() {
        backends.close();
    }

    static ScopeSnapshot split(int a, int b) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("a", a);
        weights.put("b", b);
        return Mesh.split("east", weights, Map.of("a", backends.port("a"), "b", backends.port("b")));
    }

    @Test
    void acceptToRoutingLatency() throws InterruptedException {
        try (XdsDistributor east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()), s -> { })) {
            ManagedChannel client = XdsClients.channel(east.address(), "measure", XdsClients.metadata("east", "ns1", "sa1"));
            east.accept(split(100, 0));
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "a".equals(Backends.who(client, Duration.ofSeconds(2))));
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String target = i % 2 == 0 ? "b" : "a";
                long start = System.nanoTime();
                east.accept(target.equals("b") ? split(0, 100) : split(100, 0));
                long deadline = start + Duration.ofSeconds(10).toNanos();
                while (!target.equals(Backends.who(client, Duration.ofSeconds(2))) && System.nanoTime() < deadline) {
                    // next RPC
                }
                if (i >= 2) {
                    millis.add((System.nanoTime() - start) / 1e6);
                }
            }
            Collections.sort(millis);
            System.out.printf("MEASURE accept->routing ms: median=%.1f min=%.1f max=%.1f all=%s%n",
                    (millis.get(4) + millis.get(5)) / 2, millis.get(0), millis.get(millis.size() - 1), millis);
            XdsClients.close(client);
        }
    }

    @Test
    void nackRateWithAndWithoutTheHold() throws InterruptedException {
        for (boolean hold : new boolean[] {true, false}) {
            try (XdsDistributor east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()),
                    s -> { }, Clock.systemUTC(), hold)) {
                ManagedChannel client = XdsClients.channel(east.address(), "nacker", XdsClients.metadata("east", "ns1", "sa1"));
                east.accept(split(80, 20));
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> Backends.who(client, Duration.ofSeconds(2)) != null);
                east.accept(Mesh.nackedByGrpc("east", Map.of("a", 80, "b", 20), Map.of("a", backends.port("a"), "b", backends.port("b"))));
                await().atMost(Duration.ofSeconds(10)).until(() -> east.nacksReceived() > 0);
                long before = east.nacksReceived();
                long start = System.nanoTime();
                Thread.sleep(2000);
                double rate = (east.nacksReceived() - before) / ((System.nanoTime() - start) / 1e9);
                System.out.printf("MEASURE NACK requests/s hold=%s: %.1f%n", hold, rate);
                XdsClients.close(client);
            }
        }
    }

    @Test
    void deltaResendsOfANackedResponseWithAndWithoutTheHold() throws InterruptedException {
        for (boolean hold : new boolean[] {true, false}) {
            try (XdsDistributor east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()),
                    s -> { }, Clock.systemUTC(), hold);
                 RawDeltaAds ads = DeltaAdsTest.envoy(east, "delta-nacker")) {
                east.accept(DeltaAdsTest.snapshot(1001, 1002));
                DeltaAdsTest.nackFirstEndpoints(ads, "rejected");
                // NACK every response, as a proxy does that keeps being sent what it cannot accept.
                int responses = 0;
                long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                for (var r = ads.next(Duration.ofMillis(500)); r != null && System.nanoTime() < end;
                     r = ads.next(Duration.ofNanos(Math.max(1, end - System.nanoTime())))) {
                    ads.nack(r, "rejected");
                    responses++;
                }
                System.out.printf("MEASURE delta responses in 2 s after a NACK hold=%s: %d (NACKs received %d)%n",
                        hold, responses, east.nacksReceived());
            }
        }
    }
}
