package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import meshlog.xds.grpc.EdgeLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile clients against a real distributor (grpc-java server, grpc-java clients, 127.0.0.1 only), while a
 * well-behaved proxy keeps asking for its listener every 100 ms: each attack is refused with a status naming its
 * limit, the heap stays within 64 MiB of where it started, and the well-behaved proxy is answered within
 * {@link Probe#MAX_LATENCY} throughout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileClientTest {

    static final long HEAP_GROWTH = 64L << 20;
    static Backends backends;

    XdsDistributor east;
    Probe probe;

    @BeforeAll
    static void backends() {
        backends = Backends.start("a");
    }

    @AfterAll
    static void stopBackends() {
        backends.close();
    }

    void start(EdgeLimits limits) {
        east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()), s -> { },
                Clock.systemUTC(), true, limits);
        east.accept(Mesh.split("east", Map.of("a", 100), Map.of("a", backends.port("a"))));
        probe = Probe.start(east.address());
    }

    @AfterEach
    void stop() throws Exception {
        if (probe != null) {
            probe.close();
        }
        if (east != null) {
            east.close();
        }
    }

    static Node node(String id) {
        return RawAds.node(id, XdsClients.metadata("east", "ns1", "sa1"));
    }

    static DiscoveryRequest lds(Node node, String nonce) {
        DiscoveryRequest.Builder r = DiscoveryRequest.newBuilder().setTypeUrl(Resources.V3.LISTENER_TYPE_URL)
                .addResourceNames(Mesh.SERVICE).setResponseNonce(nonce);
        return node == null ? r.build() : r.setNode(node).build();
    }

    boolean connected(String proxyId) {
        return east.proxies().stream().anyMatch(p -> p.proxyId().equals(proxyId));
    }

    /** Heap in use after a full collection. */
    static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void megabyteNodeIdsAreRefusedAndTheHeapStaysBounded() throws Exception {
        start(EdgeLimits.DEFAULTS);
        long before = heapAfterGc();
        String huge = "x".repeat(1 << 20);
        for (int round = 0; round < 4; round++) {
            List<HostileAds> attackers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                HostileAds a = new HostileAds(east.address(), 1);
                a.send(lds(node(huge + "-" + (char) ('a' + i % 26)), ""));
                attackers.add(a);
            }
            for (HostileAds a : attackers) {
                Status status = a.awaitClose(Duration.ofSeconds(20));
                assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(status.getDescription()).isEqualTo("node id is 1048578 bytes; this distributor accepts"
                        + " at most 1024 (--xds-max-node-id)");
                a.close();
            }
        }
        try (HostileAds over = new HostileAds(east.address(), 1)) {
            over.send(lds(node("x".repeat(5 << 20)), ""));
            // grpc-java's transport refuses a message over its maximum size before any handler sees it and resets the
            // stream: the client sees the RESOURCE_EXHAUSTED trailers, or the reset (CANCELLED, or UNAVAILABLE when
            // its transport sees the reset first) when that wins the race.
            Status status = over.awaitClose(Duration.ofSeconds(20));
            assertThat(status.getCode()).as(status.toString())
                    .isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED, Status.Code.UNAVAILABLE);
        }
        long after = heapAfterGc();
        assertThat(after - before).as("heap growth, bytes").isLessThan(HEAP_GROWTH);
        assertThat(east.proxies()).extracting(p -> p.proxyId()).containsExactly(Probe.ID);
        probe.assertServedThroughout();
        System.out.printf("1 MiB node ids: heap after GC %d -> %d MiB; probe max latency %d ms over %d requests%n",
                before >> 20, after >> 20, probe.maxLatencyMillis(), probe.answered());
    }

    @Test
    void streamsBeyondThePerAddressLimitAreRefused() throws Exception {
        start(new EdgeLimits(1024, 64 << 10, 4 << 20, 20, 100, 8, 100, 16L << 20));
        List<RawAds> admitted = new ArrayList<>();
        try {
            for (int i = 0; i < 7; i++) { // the probe holds the eighth
                RawAds ads = new RawAds(east.address(), node("proxy-" + i));
                ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
                assertThat(ads.next(Duration.ofSeconds(10))).as("stream %d is served", i).isNotNull();
                admitted.add(ads);
            }
            for (int i = 0; i < 20; i++) {
                try (RawAds refused = new RawAds(east.address(), node("one-too-many-" + i))) {
                    refused.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
                    Status status = refused.awaitClose(Duration.ofSeconds(10));
                    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(status.getDescription()).isEqualTo("8 streams are open from 127.0.0.1, the limit per"
                            + " client address (--xds-max-streams-per-address)");
                }
            }
            admitted.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (RawAds again = new RawAds(east.address(), node("after-one-left"))) {
                    again.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
                    assertThat(again.next(Duration.ofSeconds(2))).isNotNull();
                }
            });
        } finally {
            admitted.forEach(RawAds::close);
        }
        probe.assertServedThroughout();
    }

    @Test
    void streamsBeyondTheTotalLimitAreRefused() throws Exception {
        start(new EdgeLimits(1024, 64 << 10, 4 << 20, 20, 100, 100, 3, 16L << 20));
        try (RawAds one = new RawAds(east.address(), node("one"))) { // the probe holds one stream
            one.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
            assertThat(one.next(Duration.ofSeconds(10))).isNotNull();
            try (RawAds two = new RawAds(east.address(), node("two"))) {
                two.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
                assertThat(two.next(Duration.ofSeconds(10))).isNotNull();
                try (RawAds three = new RawAds(east.address(), node("three"))) {
                    three.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
                    Status status = three.awaitClose(Duration.ofSeconds(10));
                    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(status.getDescription())
                            .isEqualTo("this distributor has 3 streams open, its limit (--xds-max-streams)");
                }
            }
        }
        probe.assertServedThroughout();
    }

    @Test
    void aClientThatNeverReadsIsDisconnectedAndTheHeapStaysBounded() throws Exception {
        start(new EdgeLimits(1024, 64 << 10, 4 << 20, 1_000_000, 1_000_000, 128, 4096, 256 << 10));
        long before = heapAfterGc();
        int sent = 0;
        try (HostileAds silent = new HostileAds(east.address(), 0)) {
            // jcp answers a request naming the latest nonce at once, and its nonces count from 0 on each stream: a
            // client can make it answer without reading a single response.
            silent.send(lds(node("silent"), ""));
            await().atMost(Duration.ofSeconds(10)).until(() -> connected("silent"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (connected("silent") && sent < 200_000 && System.nanoTime() < deadline) {
                for (int i = 0; i < 1000; i++) {
                    silent.send(lds(null, Integer.toString(sent++)));
                }
                Thread.sleep(5);
            }
            // The distributor may still be working through what was sent when the loop ends.
            await("the distributor ended the stream").atMost(Duration.ofSeconds(30))
                    .until(() -> !connected("silent"));
            // The client reads nothing, so it never sees the reset either: grpc-java delivers a status after the
            // messages before it.
            assertThat(silent.received).hasValue(0);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(east.proxies()).extracting(p -> p.proxyId()).containsExactly(Probe.ID));
        long after = heapAfterGc();
        assertThat(after - before).as("heap growth, bytes").isLessThan(HEAP_GROWTH);
        probe.assertServedThroughout();
        System.out.printf("never-reading client: cut off after %d requests; heap after GC %d -> %d MiB; probe max"
                + " latency %d ms over %d requests%n", sent, before >> 20, after >> 20, probe.maxLatencyMillis(),
                probe.answered());
    }

    @Test
    void aStreamPastItsRequestRateIsRefused() throws Exception {
        start(new EdgeLimits(1024, 64 << 10, 4 << 20, 20, 100, 128, 4096, 16L << 20));
        try (HostileAds flood = new HostileAds(east.address(), 1_000_000)) {
            flood.send(lds(node("flood"), ""));
            for (int i = 0; i < 1000 && !flood.isClosed(); i++) {
                flood.send(lds(null, "no-such-nonce"));
            }
            Status status = flood.awaitClose(Duration.ofSeconds(10));
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).isEqualTo("more than 100 requests at once or 20 a second on one"
                    + " stream, its limit (--xds-requests-per-second, --xds-request-burst)");
        }
        probe.assertServedThroughout();
    }

    @Test
    void bytesThatAreNoRequestAreRefusedWithInvalidArgument() throws Exception {
        start(EdgeLimits.DEFAULTS);
        try (HostileAds garbage = new HostileAds(east.address(), 1)) {
            garbage.sendBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0a, 0x7f});
            Status status = garbage.awaitClose(Duration.ofSeconds(10));
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).startsWith("request is not a valid xDS request: ");
        }
        ByteString oversizedMetadata = ByteString.copyFromUtf8("v".repeat(70_000));
        try (RawAds big = new RawAds(east.address(), Node.newBuilder().setId("big").setMetadata(
                RawAds.node("big", Map.of("CLUSTER_ID", "east", "BLOB", oversizedMetadata.toStringUtf8()))
                        .getMetadata()).build())) {
            big.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
            Status status = big.awaitClose(Duration.ofSeconds(10));
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).isEqualTo("node metadata is 70040 bytes; this distributor accepts at"
                    + " most 65536 (--xds-max-metadata)");
        }
        probe.assertServedThroughout();
    }
}
