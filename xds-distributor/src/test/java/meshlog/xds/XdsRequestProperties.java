package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import meshlog.xds.grpc.EdgeLimits;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random xDS requests against a real distributor, each on a stream of its own: random node ids (control characters,
 * forged log lines, over the size limit), metadata of every JSON shape under the keys meshlog reads, random type
 * URLs, resource names, nonces and versions. Whatever comes, the stream is refused with a status that names the
 * problem on one line, or it is answered: a listener request that follows gets its listener. Nothing ends a stream
 * with INTERNAL or UNKNOWN (a handler that threw), and no log line starts with what a client sent.
 */
class XdsRequestProperties {

    static final Set<Status.Code> REFUSALS = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.PERMISSION_DENIED,
            Status.Code.RESOURCE_EXHAUSTED);
    static final String FORGED = "FORGED-LINE";

    static Backends backends;
    static XdsDistributor east;
    static PrintStream stderr;
    static final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @BeforeContainer
    static void start() {
        backends = Backends.start("a");
        east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()), s -> { },
                Clock.systemUTC(), true, EdgeLimits.DEFAULTS);
        east.accept(Mesh.split("east", Map.of("a", 100), Map.of("a", backends.port("a"))));
        stderr = System.err;
        System.setErr(new PrintStream(new TeeStream(captured, stderr), true, StandardCharsets.UTF_8));
    }

    @AfterContainer
    static void stop() {
        System.setErr(stderr);
        east.close();
        backends.close();
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log.lines().filter(l -> l.stripLeading().startsWith(FORGED)))
                .as("log lines started by a client's value").isEmpty();
        assertThat(log).doesNotContain("ADS handler failed");
    }

    @Property(tries = 100)
    void everyRequestIsAnsweredOrRefused(@ForAll("requests") DiscoveryRequest request) throws Exception {
        try (RawAds ads = new RawAds(east.address(), request.getNode())) {
            ads.requestAs(request.getNode(), request.getTypeUrl(), request.getResourceNamesList(),
                    request.getVersionInfo(), request.getResponseNonce());
            ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                DiscoveryResponse r = ads.next(Duration.ofMillis(100));
                if (r != null && r.getTypeUrl().equals(Resources.V3.LISTENER_TYPE_URL)) {
                    return; // answered
                }
                Status closed = ads.closedStatus();
                if (closed != null) {
                    assertThat(closed.getCode()).as(closed.toString()).isIn(REFUSALS);
                    assertThat(closed.getDescription()).isNotBlank().doesNotContain("\n", "\r");
                    return; // refused
                }
            }
            throw new AssertionError("neither answered nor refused within 10 s: " + request.toString().length());
        }
    }

    @Property(tries = 60)
    void everyDeltaRequestIsAnsweredOrRefused(@ForAll("deltaRequests") DeltaDiscoveryRequest request)
            throws Exception {
        try (RawDeltaAds ads = new RawDeltaAds(east.address(), request.getNode())) {
            ads.send(request.toBuilder());
            ads.subscribe(Resources.V3.LISTENER_TYPE_URL, List.of(), Map.of());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                DeltaDiscoveryResponse r = ads.next(Duration.ofMillis(100));
                if (r != null && r.getTypeUrl().equals(Resources.V3.LISTENER_TYPE_URL)) {
                    return;
                }
                Status closed = ads.closedStatus();
                if (closed != null) {
                    assertThat(closed.getCode()).as(closed.toString()).isIn(REFUSALS);
                    assertThat(closed.getDescription()).isNotBlank().doesNotContain("\n", "\r");
                    return;
                }
            }
            throw new AssertionError("neither answered nor refused within 10 s");
        }
    }

    @Provide
    Arbitrary<DeltaDiscoveryRequest> deltaRequests() {
        Arbitrary<String> typeUrl = Arbitraries.oneOf(Arbitraries.of(Resources.V3.CLUSTER_TYPE_URL,
                Resources.V3.ENDPOINT_TYPE_URL, Resources.V3.ROUTE_TYPE_URL, Resources.V3.SECRET_TYPE_URL), hostile(60));
        Arbitrary<List<String>> names = hostile(80).list().ofMaxSize(5);
        return Combinators.combine(node(), typeUrl, names, names, Arbitraries.maps(hostile(40), hostile(20))
                .ofMaxSize(4), hostile(40)).as((node, type, subscribe, unsubscribe, initial, nonce) ->
                DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type)
                        .addAllResourceNamesSubscribe(subscribe).addAllResourceNamesUnsubscribe(unsubscribe)
                        .putAllInitialResourceVersions(initial).setResponseNonce(nonce).build());
    }

    @Provide
    Arbitrary<DiscoveryRequest> requests() {
        Arbitrary<String> typeUrl = Arbitraries.oneOf(Arbitraries.of(Resources.V3.CLUSTER_TYPE_URL,
                Resources.V3.ENDPOINT_TYPE_URL, Resources.V3.ROUTE_TYPE_URL, Resources.V3.SECRET_TYPE_URL, ""),
                hostile(60));
        return Combinators.combine(node(), typeUrl, hostile(80).list().ofMaxSize(5), hostile(40), hostile(40))
                .as((node, type, names, version, nonce) -> DiscoveryRequest.newBuilder().setNode(node)
                        .setTypeUrl(type).addAllResourceNames(names).setVersionInfo(version)
                        .setResponseNonce(nonce).build());
    }

    /** Strings a hostile client sends: control characters, separators, bidi overrides, forged lines. */
    static Arbitrary<String> hostile(int max) {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(max),
                Arbitraries.strings().withChars("ab-.~\n\r\t\u001b\u2028\u202e\"\\").ofMaxLength(max),
                Arbitraries.strings().alpha().ofMaxLength(12).map(s -> s + "\n" + FORGED + " " + s),
                Arbitraries.of("ns1", "sa1", "east", "default", "0", "1"));
    }

    static Arbitrary<Node> node() {
        Arbitrary<String> id = Arbitraries.oneOf(hostile(100), Arbitraries.strings().ofMinLength(1020)
                .ofMaxLength(1100).withChars("x\n"));
        Arbitrary<Map<String, Value>> metadata = Arbitraries.maps(
                Arbitraries.of("CLUSTER_ID", "NAMESPACE", "SERVICE_ACCOUNT", "GENERATOR", "LABELS",
                        "INTERCEPTION_MODE", "ISTIO_VERSION"), value(2)).ofMaxSize(7);
        Arbitrary<Boolean> eastClaim = Arbitraries.of(true, true, false);
        return Combinators.combine(id, metadata, eastClaim).as((i, m, claimsEast) -> {
            Struct.Builder s = Struct.newBuilder().putAllFields(m);
            if (claimsEast) {
                s.putFields("CLUSTER_ID", Value.newBuilder().setStringValue("east").build());
            }
            return Node.newBuilder().setId(i).setMetadata(s).build();
        });
    }

    /** Every JSON shape, nested {@code depth} deep. */
    static Arbitrary<Value> value(int depth) {
        Arbitrary<Value> scalar = Arbitraries.oneOf(
                hostile(70).map(v -> Value.newBuilder().setStringValue(v).build()),
                Arbitraries.doubles().map(d -> Value.newBuilder().setNumberValue(d).build()),
                Arbitraries.of(true, false).map(b -> Value.newBuilder().setBoolValue(b).build()),
                Arbitraries.just(Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build()));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<Value> struct = Arbitraries.maps(hostile(20), value(depth - 1)).ofMaxSize(4)
                .map(m -> Value.newBuilder().setStructValue(Struct.newBuilder().putAllFields(m)).build());
        Arbitrary<Value> list = value(depth - 1).list().ofMaxSize(3)
                .map(l -> Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(l)).build());
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, scalar), net.jqwik.api.Tuple.of(1, struct),
                net.jqwik.api.Tuple.of(1, list));
    }

    /** Writes to both streams: the capture, and the test's own output. */
    static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
