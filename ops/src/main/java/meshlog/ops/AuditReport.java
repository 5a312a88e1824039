package meshlog.ops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.gatewayapi.ResourceKey;

/**
 * The audit trail as text: one header line per commit (time, outcome, sha, author, subject) and under it the objects
 * it created (+), changed (~) or deleted (-), or the diagnostics that rejected it. Every value from a commit is
 * escaped ({@link LogSafe}), so no author, subject or file name can start a line of its own.
 */
final class AuditReport {

    /** A diagnostic quotes the user's values; long enough for any real one, bounded for a hostile one. */
    private static final int DIAGNOSTIC_MAX = 2_000;

    private AuditReport() {
    }

    static List<String> lines(List<LoggedEvent> events) {
        List<String> out = new ArrayList<>();
        Set<ResourceKey> live = new HashSet<>();
        List<String> pending = new ArrayList<>();
        Set<ResourceKey> created = new HashSet<>();
        int applied = 0;
        int rejected = 0;
        for (LoggedEvent le : events) {
            ConfigEvent e = le.event();
            if (e instanceof ResourceUpserted u) {
                boolean isNew = !live.contains(u.key());
                if (isNew) {
                    created.add(u.key());
                }
                pending.add("    " + (isNew ? "+ " : "~ ") + LogSafe.value(u.key()) + "  (" + LogSafe.value(u.file())
                        + ":" + u.line() + ")");
            } else if (e instanceof ResourceDeleted d) {
                pending.add("    - " + LogSafe.value(d.key()));
                live.remove(d.key());
            } else if (e instanceof CommitApplied a) {
                applied++;
                out.add(header(a.info(), "applied ") + "  (" + a.changed().size() + " changed, offset "
                        + le.offset() + ")");
                out.addAll(pending);
                a.warnings().forEach(w -> out.add("    " + LogSafe.value(w.format(), DIAGNOSTIC_MAX)));
                live.addAll(created);
                pending.clear();
                created.clear();
            } else if (e instanceof CommitRejected r) {
                rejected++;
                out.add(header(r.info(), "rejected") + "  (offset " + le.offset() + ")");
                r.diagnostics().forEach(d -> out.add("    " + LogSafe.value(d.format(), DIAGNOSTIC_MAX)));
                pending.clear();
                created.clear();
            }
        }
        out.add(applied + " commits applied, " + rejected + " rejected");
        return out;
    }

    private static String header(CommitInfo c, String outcome) {
        String subject = c.message().lines().findFirst().orElse("");
        return AuditCommand.TIME.format(c.time()) + "  " + outcome + "  " + LogSafe.value(c.shortSha()) + "  "
                + LogSafe.value(c.author()) + " <" + LogSafe.value(c.email()) + ">  \"" + LogSafe.value(subject) + "\"";
    }
}
