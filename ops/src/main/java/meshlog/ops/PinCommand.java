package meshlog.ops;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.PinnedResource;
import meshlog.configstore.event.ConfigEvent.RevisionPinned;
import meshlog.configstore.event.ConfigEvent.RevisionUnpinned;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.ResourceKey;

/**
 * Pins: {@code meshlog rollback --to COMMIT --pin} serves COMMIT's config at once through the log alone (no git, so
 * it works while git is unreachable), and {@code meshlog unpin} ends it. Both are events of
 * {@code meshlog.config-events}, so they replay; while pinned, newer commits are recorded but not served.
 */
final class PinCommand {

    private PinCommand() {
    }

    /** Pins an applied commit; returns the exit code. */
    static int pin(Flags f, String to, String reason, PrintStream out, PrintStream err) {
        try (LogSource source = LogSource.open(f, "meshlog rollback --pin");
             KafkaEventLog log = KafkaEventLog.pinWriter(source.bootstrap(), MeshlogNode.REPO_ID)) {
            return pin(log, MeshlogNode.REPO_ID, to, reason, out, err);
        }
    }

    /** Pins {@code to} (an applied commit of {@code repo}'s log) through {@code log}, a pin writer. */
    static int pin(KafkaEventLog log, String repo, String to, String reason, PrintStream out, PrintStream err) {
        List<LoggedEvent> events = log.readAll();
        LogPoint.Resolved at = LogPoint.resolve(to, events, Instant.now());
        boolean applied = at.commit() != null && events.stream()
                .anyMatch(e -> e.offset() == at.offset() && e.event() instanceof CommitApplied);
        if (!applied) {
            err.println("meshlog rollback --pin: " + LogSafe.value(to) + " is no applied commit of the log; pin"
                    + " one that was applied (meshlog audit lists them)");
            return 2;
        }
        ConfigState state = LogState.at(events, at.offset());
        List<ConfigEvent> pin = new ArrayList<>();
        for (Map.Entry<ResourceKey, String> d : state.documents().entrySet()) {
            pin.add(new PinnedResource(repo, at.commit(), d.getKey(), state.files().getOrDefault(d.getKey(), ""),
                    d.getValue()));
        }
        pin.add(new RevisionPinned(repo, at.commit(), who(), Instant.now(), reason));
        log.appendCommit(pin);
        out.println("pinned " + CommitInfo.shortSha(at.commit()) + " (" + (pin.size() - 1) + " objects): served"
                + " now; newer commits are recorded, not served, until meshlog unpin or git has this tree");
        return 0;
    }

    /** {@code meshlog unpin [--data-dir DIR | --kafka HOST:PORT]}. */
    static int unpin(List<String> args, PrintStream out) {
        Flags f = Flags.parse(args, Set.of("data-dir", "kafka", "kafka-config"), Set.of());
        try (LogSource source = LogSource.open(f, "meshlog unpin");
             KafkaEventLog log = KafkaEventLog.pinWriter(source.bootstrap(), MeshlogNode.REPO_ID)) {
            return unpin(log, MeshlogNode.REPO_ID, out);
        }
    }

    static int unpin(KafkaEventLog log, String repo, PrintStream out) {
        ConfigState state = ConfigState.replay(log.readAll().stream().map(LoggedEvent::event).toList());
        if (state.pin() == null) {
            out.println("nothing is pinned");
            return 0;
        }
        log.appendCommit(List.of(new RevisionUnpinned(repo, state.pin().commit(), who(), Instant.now())));
        out.println("unpinned " + CommitInfo.shortSha(state.pin().commit()) + ": the last applied commit ("
                + (state.lastApplied() == null ? "none" : state.lastApplied().shortSha()) + ") is served again");
        return 0;
    }

    private static String who() {
        return System.getProperty("user.name", "unknown");
    }
}
