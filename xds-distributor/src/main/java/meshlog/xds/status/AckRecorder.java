package meshlog.xds.status;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import meshlog.xds.grpc.StreamListener;
import meshlog.xds.proxy.ProxyGroup;
import meshlog.xds.proxy.ProxyNode;

/**
 * Turns a stream's per-type ACKs and NACKs into answers to whole scope snapshot versions, for the
 * {@link AckBatcher}. A proxy has ACKed a version when it has ACKed every routing type at the type versions that
 * version serves (the {@code inSync} of the admin API); it has NACKed it when it rejects one of them. Each stream
 * answers each version at most once per outcome, so a proxy's repeated requests at one version add nothing.
 *
 * <p>Called on xDS threads: the work is a few map operations under this object's lock, the served snapshot is read
 * from a lock-free view the distributor keeps ({@code served}), and the answer is offered to a queue that never
 * blocks.
 */
public final class AckRecorder implements StreamListener {

    /**
     * The snapshot a group is served now: its scope id, version, commit, the version of each routing type, and since
     * when this distributor serves that version for the scope.
     */
    public record Served(String scope, String version, String commit, Map<String, String> typeVersions,
                         Instant since) {
    }

    /** What is kept per open stream: bounded by the types (4) and two versions. */
    private static final class Stream {
        final ProxyNode proxy;
        final Instant connected;
        final Map<String, String> acked = new HashMap<>();
        String lastAck;
        Instant lastAckAt;
        String lastNack;

        Stream(ProxyNode proxy, Instant connected) {
            this.proxy = proxy;
            this.connected = connected;
        }
    }

    private final Function<ProxyGroup, Served> served;
    private final AckBatcher batcher;
    private final Clock clock;
    private final Map<Long, Stream> streams = new HashMap<>();
    private final VersionConvergence convergence = new VersionConvergence();
    private volatile java.util.function.Consumer<VersionConvergence.Converged> converged = c -> {
    };

    /** @param served lock-free: what a group is served now, or null before anything is */
    public AckRecorder(Function<ProxyGroup, Served> served, AckBatcher batcher, Clock clock) {
        this.served = served;
        this.batcher = batcher;
        this.clock = clock;
    }

    /** Where to report each version every proxy pushed it has ACKed (a metric); called on an xDS thread. */
    public void reportConvergedTo(java.util.function.Consumer<VersionConvergence.Converged> sink) {
        this.converged = sink;
    }

    /**
     * {@code version} of {@code scope} has just been pushed: every open stream served it is waited for until it
     * ACKs that version. Call after the groups' snapshots are set, so each stream's served view is the new one.
     */
    public void pushed(String scope, String version) {
        java.util.Optional<VersionConvergence.Converged> done;
        synchronized (this) {
            java.util.Set<Long> waiting = new java.util.HashSet<>();
            Instant ackedAlready = null;
            Served servedNow = null;
            for (Map.Entry<Long, Stream> e : streams.entrySet()) {
                Served now = served.apply(e.getValue().proxy.group());
                if (now == null || !now.scope().equals(scope) || !now.version().equals(version)) {
                    continue;
                }
                servedNow = now;
                Stream s = e.getValue();
                if (version.equals(s.lastAck)) { // answered before this call, on another thread
                    ackedAlready = ackedAlready == null || s.lastAckAt.isAfter(ackedAlready) ? s.lastAckAt
                            : ackedAlready;
                } else {
                    waiting.add(e.getKey());
                }
            }
            if (servedNow == null) {
                return;
            }
            done = convergence.pushed(scope, version, servedNow.commit(), servedNow.since(), waiting, ackedAlready);
        }
        done.ifPresent(converged);
    }

    @Override
    public void connected(long stream, ProxyNode proxy) {
        synchronized (this) {
            streams.put(stream, new Stream(proxy, clock.instant()));
        }
    }

    @Override
    public void acked(long stream, String typeUrl, String version) {
        Answer answer = null;
        java.util.Optional<VersionConvergence.Converged> done = java.util.Optional.empty();
        synchronized (this) {
            Stream s = streams.get(stream);
            if (s == null) {
                return;
            }
            s.acked.put(typeUrl, version);
            Served now = served.apply(s.proxy.group());
            if (now != null && !now.version().isEmpty() && !now.typeVersions().isEmpty()
                    && !now.version().equals(s.lastAck) && allAcked(now, s)) {
                s.lastAck = now.version();
                s.lastAckAt = clock.instant();
                answer = new Answer(now.scope(), now.version(), now.commit(), now.since(), s.proxy.id(), s.connected,
                        s.lastAckAt, null, null);
                done = convergence.acked(stream, now.scope(), now.version(), s.lastAckAt);
            }
        }
        if (answer != null) {
            batcher.offer(answer);
        }
        done.ifPresent(converged);
    }

    private static boolean allAcked(Served now, Stream s) {
        return now.typeVersions().entrySet().stream().allMatch(e -> e.getValue().equals(s.acked.get(e.getKey())));
    }

    @Override
    public void nacked(long stream, String typeUrl, String version, String error) {
        Answer answer = null;
        synchronized (this) {
            Stream s = streams.get(stream);
            if (s == null || version.isEmpty()) {
                return; // a NACK naming no response we sent cannot be tied to a snapshot
            }
            Served now = served.apply(s.proxy.group());
            // Only a rejection of what is served now: a late NACK of a superseded version is in the status topic.
            if (now != null && version.equals(now.typeVersions().get(typeUrl)) && !now.version().equals(s.lastNack)) {
                s.lastNack = now.version();
                answer = new Answer(now.scope(), now.version(), now.commit(), now.since(), s.proxy.id(), s.connected,
                        clock.instant(), typeUrl, error == null ? "" : error);
            }
        }
        if (answer != null) {
            batcher.offer(answer);
        }
    }

    @Override
    public void disconnected(long stream) {
        java.util.Optional<VersionConvergence.Converged> done;
        synchronized (this) {
            streams.remove(stream);
            done = convergence.gone(stream);
        }
        done.ifPresent(converged);
    }
}
