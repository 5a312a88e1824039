package meshlog.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.kafka.EventTail;

/**
 * When the log recorded each recent commit (the broker's timestamp of its closing event), for
 * {@code meshlog_commit_to_last_ack_seconds}: a tail of {@code meshlog.config-events}, keeping the last
 * {@link #KEPT} commits' times. It reads the whole log once at start, as the reconciler does.
 */
final class CommitLogTimes implements AutoCloseable {

    static final int KEPT = 1024;

    private final Map<String, Instant> times = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > KEPT;
        }
    };
    private final EventTail tail;

    CommitLogTimes(String bootstrap, String repo) {
        this.tail = EventTail.start(bootstrap, repo, e -> {
            if (e.event() instanceof CommitApplied || e.event() instanceof CommitRejected) {
                synchronized (times) {
                    times.put(e.event().commit(), e.timestamp());
                }
            }
        });
    }

    /** When the log recorded {@code sha}, or null when this tail has not read it (yet, or any more). */
    Instant of(String sha) {
        synchronized (times) {
            return sha == null ? null : times.get(sha);
        }
    }

    @Override
    public void close() {
        tail.close();
    }
}
