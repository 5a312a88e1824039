package meshlog.xds.status;

import java.time.Instant;
import java.util.Objects;
import meshlog.configstore.status.ProxyStatus.TypeStatus;

/** How one type's status moves on an ACK or a NACK. Pure. */
final class TypeStatuses {

    private TypeStatuses() {
    }

    /**
     * An ACK clears a pending NACK, except a re-ACK of the version already accepted: a proxy that rejected v2 and
     * still runs v1 says "v1" in every later request, which is not an acceptance of v2.
     */
    static TypeStatus acked(TypeStatus previous, String version, Instant now) {
        if (previous != null && previous.nackedVersion() != null && version.equals(previous.ackedVersion())) {
            return previous;
        }
        return new TypeStatus(version, null, null, now);
    }

    static TypeStatus nacked(TypeStatus previous, String version, String error, Instant now) {
        return new TypeStatus(previous == null ? null : previous.ackedVersion(), version, error, now);
    }

    /** Equal but for the time: not a change worth publishing. */
    static boolean sameOutcome(TypeStatus a, TypeStatus b) {
        return a != null && b != null && Objects.equals(a.ackedVersion(), b.ackedVersion())
                && Objects.equals(a.nackedVersion(), b.nackedVersion()) && Objects.equals(a.error(), b.error());
    }
}
