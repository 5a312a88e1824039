package meshlog.configstore.kafka;

import java.time.Instant;
import meshlog.configstore.event.ConfigEvent;

/**
 * One event as it sits in {@code meshlog.config-events}: where (offset) and when (the broker's record timestamp).
 * Offsets are the log's revision numbers: a state "at revision N" is the fold of every event up to offset N.
 */
public record LoggedEvent(long offset, Instant timestamp, ConfigEvent event) {
}
