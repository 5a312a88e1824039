package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What grpc-java's own xDS client does with the route and cluster features meshlog translates for it (the ones
 * grpc-java implements: gRFCs A31 timeouts, A33 fault injection, A42 ring hash, A44 retries),
 * with real gRPC backends that say who answered and count what reached them. One client and distributor for the
 * class; each test serves its own config and waits until the client has ACKed it.
 *
 * <p>Not here: circuit breaking (A32). meshlog sends {@code connectionPool.http.http2MaxRequests} as the cluster's
 * {@code max_requests}, which grpc-java parses, but in this setup grpc-java 1.85.1 let a second concurrent call
 * through to the backend, so it is not claimed for gRPC. Outlier detection neither: Istio's fields map to Envoy's
 * consecutive-error ejection, which grpc-java does not implement (A50 has success-rate and failure-percentage only).
 */
class ProxylessGrpcFeaturesTest {

    @TempDir
    static Path dir;
    static GrpcBackend a;
    static GrpcBackend b;
    static GrpcBackend c;
    static ProxylessGrpc grpc;

    @BeforeAll
    static void start() {
        a = GrpcBackend.start("a");
        b = GrpcBackend.start("b");
        c = GrpcBackend.start("c");
        grpc = ProxylessGrpc.start(dir, config("", """
                  - route:
                    - destination: {host: echo.demo.svc.cluster.local, subset: a}
                """));
    }

    @AfterAll
    static void stop() {
        if (grpc != null) {
            grpc.close();
        }
        for (GrpcBackend backend : new GrpcBackend[] {a, b, c}) {
            if (backend != null) {
                backend.close();
            }
        }
    }

    @BeforeEach
    void resetBackends() {
        a.reset();
        b.reset();
        c.reset();
    }

    static String config(String trafficPolicy, String http) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("a", a.port());
        ports.put("b", b.port());
        ports.put("c", c.port());
        return ProxylessGrpc.echoConfig(ports, trafficPolicy, http);
    }

    @Test
    void anAbortFaultFailsCallsWithTheGrpcStatusAndTheBackendSeesNone() {
        grpc.serve(config("", """
                  - fault:
                      abort: {grpcStatus: RESOURCE_EXHAUSTED, percentage: {value: 100}}
                    route:
                    - destination: {host: echo.demo.svc.cluster.local, subset: a}
                """));
        for (int i = 0; i < 5; i++) {
            assertThat(call(Duration.ofSeconds(5), Map.of()).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        }
        assertThat(a.calls()).isZero();
    }

    @Test
    void anAbortFaultOnHalfTheCallsAbortsAboutHalf() {
        grpc.serve(config("", """
                  - fault:
                      abort: {grpcStatus: UNAVAILABLE, percentage: {value: 50}}
                    route:
                    - destination: {host: echo.demo.svc.cluster.local, subset: a}
                """));
        int aborted = 0;
        for (int i = 0; i < 200; i++) {
            if (call(Duration.ofSeconds(5), Map.of()).getCode() == Status.Code.UNAVAILABLE) {
                aborted++;
            }
        }
        // Binomial(200, 0.5): 60..140 is more than 5 standard deviations either way.
        assertThat(aborted).isBetween(60, 140);
        assertThat(a.calls()).isEqualTo(200 - aborted);
    }

    @Test
    void aDelayFaultHoldsTheCallBeforeItLeavesTheClient() {
        grpc.serve(config("", """
                  - fault:
                      delay: {fixedDelay: 2s, percentage: {value: 100}}
                    route:
                    - destination: {host: echo.demo.svc.cluster.local, subset: a}
                """));
        // A caller that will not wait 2 s gives up while its call is still held: the backend never sees it.
        assertThat(call(Duration.ofMillis(300), Map.of()).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(a.calls()).isZero();
        grpc.serve(config("", """
                  - route:
                    - destination: {host: echo.demo.svc.cluster.local, subset: a}
                """));
        assertThat(call(Duration.ofMillis(300), Map.of()).getCode()).isEqualTo(Status.Code.OK);
    }

    @Test
    void retriesOnUnavailableHideAFailingFirstAttempt() {
        grpc.serve(config("", """
                  - retries: {attempts: 3, retryOn: unavailable}
                    route:
                    - destination: {host: echo.demo.svc.cluster.local, subset: a}
                """));
        a.failNext(2, Status.UNAVAILABLE);
        assertThat(call(Duration.ofSeconds(5), Map.of()).getCode()).isEqualTo(Status.Code.OK);
        assertThat(a.calls()).isEqualTo(3);
        // A code the policy does not name is not retried.
        a.reset();
        a.failNext(1, Status.INTERNAL);
        assertThat(call(Duration.ofSeconds(5), Map.of()).getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(a.calls()).isEqualTo(1);
    }

    @Test
    void retriesOffMeansOneAttempt() {
        grpc.serve(config("", """
                  - retries: {attempts: 0}
                    route:
                    - destination: {host: echo.demo.svc.cluster.local, subset: a}
                """));
        a.failNext(1, Status.UNAVAILABLE);
        assertThat(call(Duration.ofSeconds(5), Map.of()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(a.calls()).isEqualTo(1);
    }

    @Test
    void aRouteTimeoutEndsASlowCallAsADeadline() {
        grpc.serve(config("", """
                  - timeout: 300ms
                    route:
                    - destination: {host: echo.demo.svc.cluster.local, subset: a}
                """));
        a.answerAfter(Duration.ofSeconds(2));
        // The caller would wait 5 s; the route's max_stream_duration ends the call first.
        assertThat(call(Duration.ofSeconds(5), Map.of()).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        a.reset();
        assertThat(call(Duration.ofSeconds(5), Map.of()).getCode()).isEqualTo(Status.Code.OK);
    }

    @Test
    void aConsistentHashOnAHeaderKeepsEachUserOnOneBackend() {
        grpc.serve(config("""
                  trafficPolicy:
                    loadBalancer:
                      consistentHash: {httpHeaderName: x-user}
                """, """
                  - route:
                    - destination: {host: echo.demo.svc.cluster.local}
                """));
        Set<String> used = new HashSet<>();
        for (int user = 0; user < 12; user++) {
            Set<String> answered = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                answered.add(who(Map.of("x-user", "user-" + user)));
            }
            assertThat(answered).as("backends that answered user-" + user).hasSize(1);
            used.addAll(answered);
        }
        // 12 users on a ring of 3 endpoints: all on one would be a hash that ignores the header.
        assertThat(used.size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aClientDialingAShorterFormOfTheHostIsServedTheSameRoutes() {
        grpc.serve(config("", """
                  - route:
                    - destination: {host: echo.demo.svc.cluster.local, subset: b}
                """));
        for (String target : new String[] {"echo.demo:7070", "echo.demo.svc:7070"}) {
            try (ProxylessClient other = grpc.newClient(target)) {
                assertThat(EchoBackends.who(other.channel)).as(target).isEqualTo("b");
            }
        }
    }

    /**
     * {@code xds:///echo:7070} as Kubernetes DNS would resolve it: in the client's namespace. demo's echo is
     * backend b, other's echo (the same short name) backend c; a client of a namespace with no echo gets no
     * listener of that name, as from Istio, and its call fails without reaching a backend. It fails when
     * grpc-java's does-not-exist timer (15 s) ends: grpc-java does not take a listener the answer leaves out as
     * absent before that, from meshlog or from istiod.
     */
    @Test
    void aShortNameResolvesInTheClientsNamespaceOnly() {
        grpc.serve(config("", """
                  - route:
                    - destination: {host: echo.demo.svc.cluster.local, subset: b}
                """) + """
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo, namespace: other}
                spec:
                  hosts: [echo.other.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: grpc, protocol: GRPC}]
                  endpoints: [{address: 127.0.0.1, ports: {grpc: %d}}]
                """.formatted(ProxylessGrpc.PORT, c.port()));
        try (ProxylessClient demo = grpc.newClient("echo:" + ProxylessGrpc.PORT, "demo");
             ProxylessClient other = grpc.newClient("echo:" + ProxylessGrpc.PORT, "other");
             ProxylessClient elsewhere = grpc.newClient("echo:" + ProxylessGrpc.PORT, "elsewhere")) {
            assertThat(demo.spread(5)).isEqualTo(Map.of("b", 5));
            assertThat(other.spread(5)).isEqualTo(Map.of("c", 5));
            StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> ClientCalls.blockingUnaryCall(elsewhere.channel, EchoBackends.WHO,
                            CallOptions.DEFAULT.withDeadlineAfter(25, TimeUnit.SECONDS), ""),
                    StatusRuntimeException.class);
            assertThat(e).as("a call from namespace elsewhere").isNotNull();
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains("LDS resource echo:" + ProxylessGrpc.PORT,
                    "NOT_FOUND");
        }
        assertThat(a.calls() + b.calls() + c.calls()).isEqualTo(10);
    }

    @Test
    void theClientNeverNacksWhatMeshlogSends() {
        assertThat(grpc.nacks()).isZero();
    }

    /** The status of one call with {@code deadline} and request metadata {@code headers}. */
    private static Status call(Duration deadline, Map<String, String> headers) {
        try {
            ClientCalls.blockingUnaryCall(withHeaders(headers), EchoBackends.WHO,
                    CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS), "");
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    private static String who(Map<String, String> headers) {
        return ClientCalls.blockingUnaryCall(withHeaders(headers), EchoBackends.WHO,
                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "");
    }

    private static io.grpc.Channel withHeaders(Map<String, String> headers) {
        Metadata md = new Metadata();
        headers.forEach((k, v) -> md.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
        return io.grpc.ClientInterceptors.intercept(grpc.channel(), MetadataUtils.newAttachHeadersInterceptor(md));
    }
}
