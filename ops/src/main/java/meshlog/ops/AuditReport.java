package meshlog.ops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.ResourceKey;

/**
 * The audit trail as text: one header line per commit (time, outcome, sha, author, subject) and under it the objects
 * it created (+), changed (~) or deleted (-), or the diagnostics that rejected it.
 */
final class AuditReport {

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
                pending.add("    " + (isNew ? "+ " : "~ ") + u.key() + "  (" + u.file() + ":" + u.line() + ")");
            } else if (e instanceof ResourceDeleted d) {
                pending.add("    - " + d.key());
                live.remove(d.key());
            } else if (e instanceof CommitApplied a) {
                applied++;
                out.add(header(a.info(), "applied ") + "  (" + a.changed().size() + " changed, offset "
                        + le.offset() + ")");
                out.addAll(pending);
                a.warnings().forEach(w -> out.add("    " + w.format()));
                live.addAll(created);
                pending.clear();
                created.clear();
            } else if (e instanceof CommitRejected r) {
                rejected++;
                out.add(header(r.info(), "rejected") + "  (offset " + le.offset() + ")");
                r.diagnostics().stream().map(Diagnostic::format).forEach(d -> out.add("    " + d));
                pending.clear();
                created.clear();
            }
        }
        out.add(applied + " commits applied, " + rejected + " rejected");
        return out;
    }

    private static String header(CommitInfo c, String outcome) {
        String subject = c.message().lines().findFirst().orElse("");
        return AuditCommand.TIME.format(c.time()) + "  " + outcome + "  " + c.shortSha() + "  " + c.author() + " <"
                + c.email() + ">  \"" + subject + "\"";
    }
}
