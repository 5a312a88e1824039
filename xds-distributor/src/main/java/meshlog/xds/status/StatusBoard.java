package meshlog.xds.status;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import meshlog.configstore.LogSafe;
import meshlog.configstore.RateLimitedLog;
import meshlog.configstore.status.ProxyStatus;
import meshlog.configstore.status.ProxyStatus.TypeStatus;
import meshlog.xds.grpc.StreamListener;
import meshlog.xds.proxy.ProxyGroup;
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
    /** The proxy group of each stream, as NACK lines are counted by it. */
    private final Map<Long, String> groupOf = new HashMap<>();
    /** The scope id of each stream's proxy, for the admin API. */
    private final Map<Long, String> scopeOf = new HashMap<>();
    private final AtomicLong nacks = new AtomicLong();
    /** NACKs by type URL; a client may name any type, so at most {@link #NACK_TYPES_KEPT} are told apart. */
    private final Map<String, AtomicLong> nacksByType = new java.util.concurrent.ConcurrentHashMap<>();
    static final int NACK_TYPES_KEPT = 16;
    /** Where NACKs of types past {@link #NACK_TYPES_KEPT} are counted. */
    public static final String OTHER_TYPES = "other";
    private final RateLimitedLog log;

    /** A NACK's error as kept and published: Envoy's are a few lines; a client may send megabytes. */
    static final int MAX_ERROR_CHARS = 4096;

    /** @param distributor this distributor's address, asked for when a status is built */
    public StatusBoard(String cluster, Supplier<String> distributor, Consumer<ProxyStatus> sink, Clock clock) {
        this(cluster, distributor, sink, clock, RateLimitedLog.of(LOG::warn));
    }

    StatusBoard(String cluster, Supplier<String> distributor, Consumer<ProxyStatus> sink, Clock clock,
                RateLimitedLog log) {
        this.log = log;
        this.cluster = cluster;
        this.distributor = distributor;
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public void connected(long stream, ProxyNode proxy) {
        ProxyStatus status = new ProxyStatus(cluster, proxy.id(), distributor.get(), true, Map.of(), clock.instant());
        ProxyGroup g = proxy.group();
        synchronized (this) {
            byStream.put(stream, status);
            groupOf.put(stream, LogSafe.value(g.scope() + " " + g.namespace() + "/" + g.serviceAccount(), 300));
            scopeOf.put(stream, g.scope());
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
        String counted = nacksByType.containsKey(typeUrl) || nacksByType.size() < NACK_TYPES_KEPT ? typeUrl
                : OTHER_TYPES;
        nacksByType.computeIfAbsent(counted, t -> new AtomicLong()).incrementAndGet();
        ProxyStatus proxy;
        String group;
        synchronized (this) {
            proxy = byStream.get(stream);
            group = groupOf.getOrDefault(stream, "?");
        }
        String type = SnapshotDecoder.shortType(typeUrl);
        // One line per group and type in a window: 500 proxies of a group NACKing one version say one thing.
        log.event("NACK " + group + " " + LogSafe.value(type, 100), () -> "NACK proxy="
                + (proxy == null ? "?" : LogSafe.value(proxy.proxyId())) + " group=" + group + " type="
                + LogSafe.value(type, 100) + " version=" + LogSafe.value(version, 100) + " error="
                + LogSafe.value(error, 500));
        String kept = error == null || error.length() <= MAX_ERROR_CHARS ? error
                : error.substring(0, MAX_ERROR_CHARS) + "…(+" + (error.length() - MAX_ERROR_CHARS) + " chars)";
        update(stream, typeUrl, previous -> TypeStatuses.nacked(previous, version, kept, clock.instant()));
    }

    @Override
    public void disconnected(long stream) {
        ProxyStatus gone;
        boolean stillConnected;
        synchronized (this) {
            gone = byStream.remove(stream);
            groupOf.remove(stream);
            scopeOf.remove(stream);
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

    /** A connected proxy's status and the id of its scope. */
    public record Connected(ProxyStatus status, String scope) {
    }

    /** Connected proxies (one entry per stream) with their scopes, by proxy id. */
    public synchronized List<Connected> connected() {
        List<Connected> all = new ArrayList<>();
        byStream.forEach((stream, status) -> all.add(new Connected(status, scopeOf.getOrDefault(stream, ""))));
        all.sort(Comparator.comparing((Connected c) -> c.status().proxyId())
                .thenComparing(c -> c.status().updated()));
        return all;
    }

    /** NACK requests received since start (every one, held or not). */
    public long nacksReceived() {
        return nacks.get();
    }

    /** Like {@link #nacksReceived()}, of one type URL (or {@link #OTHER_TYPES}). */
    public long nacksReceived(String typeUrl) {
        AtomicLong n = nacksByType.get(typeUrl);
        return n == null ? 0 : n.get();
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
            log.event("status sink", () -> "proxy status sink failed for proxy=" + LogSafe.value(status.proxyId())
                    + ": " + LogSafe.value(e, 300));
        }
    }
}
