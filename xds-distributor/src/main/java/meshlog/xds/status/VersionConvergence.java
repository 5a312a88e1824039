package meshlog.xds.status;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When every proxy pushed a scope's version has ACKed it: per scope, the streams the version was pushed to that have
 * not ACKed it yet. It converges when the last of them ACKs (or, having waited for some, the rest disconnect); a
 * newer version of the scope replaces a pending one, which then never converges (nor does one a proxy NACKs). Not
 * thread-safe: {@link AckRecorder} calls it under its lock. Bounded by the scopes served and their streams.
 */
public final class VersionConvergence {

    /** A version every pushed proxy has ACKed: {@code lastAck} is the last of those ACKs. */
    public record Converged(String scope, String version, String commit, Instant servedSince, Instant lastAck) {
    }

    private static final class Pending {
        final String version;
        final String commit;
        final Instant since;
        final Set<Long> waiting;
        Instant lastAck;

        Pending(String version, String commit, Instant since, Set<Long> waiting, Instant lastAck) {
            this.version = version;
            this.commit = commit;
            this.since = since;
            this.waiting = waiting;
            this.lastAck = lastAck;
        }

        Converged converged(String scope) {
            return new Converged(scope, version, commit, since, lastAck);
        }
    }

    private final Map<String, Pending> byScope = new HashMap<>();

    /**
     * The version was pushed to {@code waiting}; {@code ackedAlready} is the last ACK of those of its streams that
     * answered before this was called (null: none). Converges at once when nobody is left to wait for.
     */
    Optional<Converged> pushed(String scope, String version, String commit, Instant since, Set<Long> waiting,
            Instant ackedAlready) {
        byScope.remove(scope);
        Pending p = new Pending(version, commit, since, waiting, ackedAlready);
        if (waiting.isEmpty()) {
            return ackedAlready == null ? Optional.empty() : Optional.of(p.converged(scope));
        }
        byScope.put(scope, p);
        return Optional.empty();
    }

    /** {@code stream} ACKed every type of {@code version} of {@code scope} at {@code at}. */
    Optional<Converged> acked(long stream, String scope, String version, Instant at) {
        Pending p = byScope.get(scope);
        if (p == null || !p.version.equals(version) || !p.waiting.remove(stream)) {
            return Optional.empty();
        }
        p.lastAck = p.lastAck == null || at.isAfter(p.lastAck) ? at : p.lastAck;
        return done(scope, p);
    }

    /** The stream closed: it is not waited for any more. */
    Optional<Converged> gone(long stream) {
        for (Iterator<Map.Entry<String, Pending>> it = byScope.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Pending> e = it.next();
            if (e.getValue().waiting.remove(stream)) {
                return done(e.getKey(), e.getValue());
            }
        }
        return Optional.empty();
    }

    private Optional<Converged> done(String scope, Pending p) {
        if (!p.waiting.isEmpty()) {
            return Optional.empty();
        }
        byScope.remove(scope);
        return p.lastAck == null ? Optional.empty() : Optional.of(p.converged(scope));
    }
}
