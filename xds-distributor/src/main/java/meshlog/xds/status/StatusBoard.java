package meshlog.xds.status;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import meshlog.configstore.status.ProxyStatus;
import meshlog.configstore.status.ProxyStatus.TypeStatus;
import meshlog.xds.grpc.StreamListener;
import meshlog.xds.proxy.ProxyNode;
import meshlog.xds.snapshot.SnapshotDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last ACK/NACK of every connected proxy, per xDS type: kept in memory for the admin API and handed to a sink
 * (the {@code meshlog.proxy-status} topic) on every change, including the disconnect.
 */
public final class StatusBoard implements StreamListener {

    private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);

    private final String cluster;
    private final Supplier<String> distributor;
    private final Consumer<ProxyStatus> sink;
    private final Clock clock;
    private final Map<Long, ProxyStatus> byStream = new HashMap<>();
    private final AtomicLong nacks = new AtomicLong();

    /** @param distributor this distributor's address, asked for when a status is built */
    public StatusBoard(String cluster, Supplier<String> distributor, Consumer<ProxyStatus> sink, Clock clock) {
        this.cluster = cluster;
        this.distributor = distributor;
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public void connected(long stream, ProxyNode proxy) {
        ProxyStatus status = new ProxyStatus(cluster, proxy.id(), distributor.get(), true, Map.of(), clock.instant());
        synchronized (this) {
            byStream.put(stream, status);
        }
        publish(status);
    }

    @Override
    public void acked(long stream, String typeUrl, String version) {
        update(stream, typeUrl, previous -> TypeStatuses.acked(previous, version, clock.instant()));
    }

    @Override
    public void nacked(long stream, String typeUrl, String version, String error) {
        nacks.incrementAndGet();
        ProxyStatus proxy;
        synchronized (this) {
            proxy = byStream.get(stream);
        }
        LOG.warn("NACK proxy={} type={} version={} error={}", proxy == null ? "?" : proxy.proxyId(),
                SnapshotDecoder.shortType(typeUrl), version, oneLine(error));
        update(stream, typeUrl, previous -> TypeStatuses.nacked(previous, version, error, clock.instant()));
    }

    @Override
    public void disconnected(long stream) {
        ProxyStatus gone;
        boolean stillConnected;
        synchronized (this) {
            gone = byStream.remove(stream);
            stillConnected = gone != null
                    && byStream.values().stream().anyMatch(p -> p.proxyId().equals(gone.proxyId()));
        }
        if (gone != null && !stillConnected) {
            publish(new ProxyStatus(cluster, gone.proxyId(), distributor.get(), false, gone.types(), clock.instant()));
        }
    }

    /** Connected proxies (one entry per stream), by proxy id. */
    public synchronized List<ProxyStatus> proxies() {
        List<ProxyStatus> all = new ArrayList<>(byStream.values());
        all.sort(Comparator.comparing(ProxyStatus::proxyId).thenComparing(ProxyStatus::updated));
        return all;
    }

    /** NACK requests received since start (every one, held or not). */
    public long nacksReceived() {
        return nacks.get();
    }

    private void update(long stream, String typeUrl, UnaryOperator<TypeStatus> change) {
        ProxyStatus next;
        synchronized (this) {
            ProxyStatus current = byStream.get(stream);
            if (current == null) {
                return;
            }
            TypeStatus before = current.types().get(typeUrl);
            TypeStatus after = change.apply(before);
            if (TypeStatuses.sameOutcome(before, after)) {
                return;
            }
            Map<String, TypeStatus> types = new HashMap<>(current.types());
            types.put(typeUrl, after);
            next = new ProxyStatus(cluster, current.proxyId(), distributor.get(), true, types, after.time());
            byStream.put(stream, next);
        }
        publish(next);
    }

    private void publish(ProxyStatus status) {
        try {
            sink.accept(status);
        } catch (RuntimeException e) {
            LOG.error("proxy status sink failed for proxy={}", status.proxyId(), e);
        }
    }

    private static String oneLine(String text) {
        return Objects.toString(text, "").replace("\r", "").replace("\n", "\\n");
    }
}
