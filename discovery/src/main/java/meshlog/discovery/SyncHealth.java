package meshlog.discovery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where one cluster's discovery stands, and what that means for readiness (pure). Not ready until the first full
 * LIST has been published; stale (and not ready) while the API server's watch has been lost for longer than the
 * grace, or the last publish failed. Stale never withdraws anything: the topic keeps the last records published.
 *
 * @param synced        the informers completed their first LIST
 * @param watchLostAt   since when a watch is down, or null while every watch is open
 * @param lastPublishAt when the records last matched the API server's view, or null if never in this run
 * @param publishError  the last publish's failure, or null
 */
public record SyncHealth(String cluster, boolean synced, Instant watchLostAt, Instant lastPublishAt,
                         String publishError) {

    /** Why the cluster's endpoints are not current, or empty when they are. */
    public Optional<String> problem(Instant now, Duration grace) {
        if (!synced) {
            return Optional.of("API server of cluster " + cluster + " not reached yet (its first LIST is pending);"
                    + " meshlog.endpoints keeps what an earlier run published");
        }
        if (watchLostAt != null && Duration.between(watchLostAt, now).compareTo(grace) > 0) {
            return Optional.of("stale: the watch of cluster " + cluster + "'s API server is down since "
                    + watchLostAt + "; the endpoints published at " + lastPublishAt + " stay until it is back");
        }
        if (publishError != null) {
            return Optional.of("publishing endpoints of cluster " + cluster + " failed: " + publishError);
        }
        if (lastPublishAt == null) {
            return Optional.of("publishing the first endpoints of cluster " + cluster);
        }
        return Optional.empty();
    }

    /** True when {@link #problem} names the watch: what is published may be out of date. */
    public boolean stale(Instant now, Duration grace) {
        return synced && watchLostAt != null && Duration.between(watchLostAt, now).compareTo(grace) > 0;
    }
}
