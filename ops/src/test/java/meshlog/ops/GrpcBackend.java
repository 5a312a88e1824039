package meshlog.ops;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real gRPC server on 127.0.0.1 answering {@code echo.Echo/Who} with its name, that can be told to fail its next
 * calls or to answer late, and counts the calls that reached it: what a test of retries, faults, timeouts and
 * circuit breaking needs to see which backend a proxyless client's call reached, and how often.
 */
final class GrpcBackend implements AutoCloseable {

    private final String name;
    private final Server server;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "grpc-backend-timer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicLong delayMillis = new AtomicLong();
    private volatile Status failWith = Status.UNAVAILABLE;
    private volatile boolean failAlways;

    private GrpcBackend(String name) throws IOException {
        this.name = name;
        ServerServiceDefinition service = ServerServiceDefinition.builder("echo.Echo")
                .addMethod(EchoBackends.WHO, ServerCalls.asyncUnaryCall((req, reply) -> {
                    calls.incrementAndGet();
                    if (failAlways || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        reply.onError(failWith.withDescription(name + " failed on purpose").asRuntimeException());
                        return;
                    }
                    Runnable answer = () -> {
                        reply.onNext(name);
                        reply.onCompleted();
                    };
                    long delay = delayMillis.get();
                    if (delay > 0) {
                        timer.schedule(answer, delay, TimeUnit.MILLISECONDS);
                    } else {
                        answer.run();
                    }
                })).build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
                .addService(service).build().start();
    }

    static GrpcBackend start(String name) {
        try {
            return new GrpcBackend(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    /** Calls that reached this backend since the last {@link #reset}. */
    int calls() {
        return calls.get();
    }

    /** The next {@code n} calls fail with {@code status}. */
    void failNext(int n, Status status) {
        failWith = status;
        failNext.set(n);
    }

    /** Every call fails with {@code status} until {@link #reset}. */
    void failAlways(Status status) {
        failWith = status;
        failAlways = true;
    }

    /** Every answer comes {@code delay} late until {@link #reset}. */
    void answerAfter(Duration delay) {
        delayMillis.set(delay.toMillis());
    }

    /** Back to answering at once, counts at 0. */
    void reset() {
        failAlways = false;
        failNext.set(0);
        delayMillis.set(0);
        calls.set(0);
    }

    @Override
    public void close() {
        server.shutdownNow();
        timer.shutdownNow();
    }
}
