package meshlog.gitsync.kafka;

import java.util.List;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.gitsync.CommitLog;

/** The config-events topic as git-sync's log: one Kafka transaction per commit. */
public final class KafkaCommitLog implements CommitLog, AutoCloseable {

    private final KafkaEventLog log;

    public KafkaCommitLog(String bootstrap, String repo) {
        this.log = new KafkaEventLog(bootstrap, repo);
    }

    @Override
    public List<ConfigEvent> readAll() {
        return log.readAll().stream().map(LoggedEvent::event).toList();
    }

    @Override
    public void append(List<ConfigEvent> commitEvents) {
        log.appendCommit(commitEvents);
    }

    @Override
    public void close() {
        log.close();
    }
}
