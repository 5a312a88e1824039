package meshlog.xds.status;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import meshlog.configstore.LogSafe;
import meshlog.configstore.RateLimitedLog;
import meshlog.configstore.status.SnapshotAck;
import meshlog.xds.grpc.StreamListener;
import meshlog.xds.proxy.ProxyGroup;
import meshlog.xds.proxy.ProxyNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a stream's per-type ACKs and NACKs into answers to whole scope snapshots ({@link SnapshotAck}), for the
 * append-only {@code meshlog.proxy-acks}. A proxy has ACKed a snapshot when it has ACKed every routing type at the
 * versions that snapshot serves (the {@code inSync} of the admin API); it has NACKed it when it rejects one of that
 * snapshot's type versions. Each stream reports each version at most once per outcome, so a proxy's repeated
 * requests at the same version write nothing.
 */
public final class AckRecorder implements StreamListener {

    private static final Logger LOG = LoggerFactory.getLogger(AckRecorder.class);

    /** The snapshot a group is served now: its scope id, version, commit and the version of each routing type. */
    public record Served(String scope, String version, String commit, Map<String, String> typeVersions) {
    }

    /** What is kept per open stream: bounded by the types (4) and two versions. */
    private static final class Stream {
        final ProxyNode proxy;
        final Instant connected;
        final Map<String, String> acked = new HashMap<>();
        String lastAck;
        String lastNack;

        Stream(ProxyNode proxy, Instant connected) {
            this.proxy = proxy;
            this.connected = connected;
        }
    }

    private final String cluster;
    private final Supplier<String> distributor;
    private final Function<ProxyGroup, Served> served;
    private final Clock clock;
    private final Map<Long, Stream> streams = new HashMap<>();
    private final RateLimitedLog log = RateLimitedLog.of(LOG::warn);
    private volatile Consumer<SnapshotAck> sink = a -> {
    };

    /** @param served asked outside this object's lock (it takes the distributor's) */
    public AckRecorder(String cluster, Supplier<String> distributor, Function<ProxyGroup, Served> served,
                       Clock clock) {
        this.cluster = cluster;
        this.distributor = distributor;
        this.served = served;
        this.clock = clock;
    }

    /** Where the records go (ops wires {@code meshlog.proxy-acks}); nowhere until set. */
    public void reportTo(Consumer<SnapshotAck> sink) {
        this.sink = sink;
    }

    @Override
    public void connected(long stream, ProxyNode proxy) {
        synchronized (this) {
            streams.put(stream, new Stream(proxy, clock.instant()));
        }
    }

    @Override
    public void acked(long stream, String typeUrl, String version) {
        Stream s;
        synchronized (this) {
            s = streams.get(stream);
            if (s == null) {
                return;
            }
            s.acked.put(typeUrl, version);
        }
        Served now = served.apply(s.proxy.group());
        SnapshotAck ack = null;
        synchronized (this) {
            if (!now.version().isEmpty() && !now.typeVersions().isEmpty() && !now.version().equals(s.lastAck)
                    && now.typeVersions().entrySet().stream().allMatch(e -> e.getValue().equals(s.acked.get(e.getKey())))) {
                s.lastAck = now.version();
                ack = SnapshotAck.ack(cluster, now.scope(), now.version(), now.commit(), s.proxy.id(),
                        distributor.get(), s.connected, clock.instant());
            }
        }
        publish(ack);
    }

    @Override
    public void nacked(long stream, String typeUrl, String version, String error) {
        Stream s;
        synchronized (this) {
            s = streams.get(stream);
        }
        if (s == null || version.isEmpty()) {
            return; // a NACK naming no response we sent cannot be tied to a snapshot
        }
        Served now = served.apply(s.proxy.group());
        SnapshotAck nack = null;
        synchronized (this) {
            // Only a rejection of what is served now: a late NACK of a superseded version is in the status topic.
            if (version.equals(now.typeVersions().get(typeUrl)) && !now.version().equals(s.lastNack)) {
                s.lastNack = now.version();
                nack = SnapshotAck.nack(cluster, now.scope(), now.version(), now.commit(), s.proxy.id(),
                        distributor.get(), typeUrl, error, s.connected, clock.instant());
            }
        }
        publish(nack);
    }

    @Override
    public void disconnected(long stream) {
        synchronized (this) {
            streams.remove(stream);
        }
    }

    private void publish(SnapshotAck a) {
        if (a == null) {
            return;
        }
        try {
            sink.accept(a);
        } catch (RuntimeException e) {
            log.event("ack sink", () -> "proxy ack sink failed for proxy=" + LogSafe.value(a.proxyId()) + ": "
                    + LogSafe.value(e, 300));
        }
    }
}
