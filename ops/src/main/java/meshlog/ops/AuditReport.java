package meshlog.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.gatewayapi.Diagnostic;

/**
 * The audit trail as text: one header line per commit (time, outcome, sha, author, subject) and under it the objects
 * it created (+), changed (~, with the fields) or deleted (-), its errors, its warnings counted (those new since the
 * previous applied commit listed), then each cluster's publications. Every value from a commit is escaped
 * ({@link LogSafe}), so no author, subject or file name can start a line of its own.
 */
final class AuditReport {

    /** A diagnostic quotes the user's values; long enough for any real one, bounded for a hostile one. */
    private static final int DIAGNOSTIC_MAX = 2_000;
    private static final int VALUE_MAX = 120;

    private AuditReport() {
    }

    static List<String> lines(List<LoggedEvent> events) {
        return lines(AuditTrail.of(events, List.of(), AuditTrail.Filter.NONE, List.of()));
    }

    static List<String> lines(AuditTrail.Report report) {
        List<String> out = new ArrayList<>();
        java.util.Iterator<AuditTrail.PinChange> pins = report.pins().iterator();
        AuditTrail.PinChange nextPin = pins.hasNext() ? pins.next() : null;
        for (AuditTrail.Commit c : report.commits()) {
            while (nextPin != null && nextPin.offset() < c.offset()) {
                out.add(pin(nextPin));
                nextPin = pins.hasNext() ? pins.next() : null;
            }
            out.add(header(c) + (c.outcome().equals("applied") ? "  (" + c.changes().size() + " changed, offset "
                    + c.offset() + ")" : "  (offset " + c.offset() + ")"));
            if (c.rewrite() != null) {
                out.add("    branch " + LogSafe.value(c.rewrite().branch()) + " rewritten (force-push): "
                        + LogSafe.value(CommitInfo.shortSha(c.rewrite().previous())) + " is no longer on it; "
                        + LogSafe.value(CommitInfo.shortSha(c.sha())) + " was judged as a whole tree");
            }
            if (c.pinnedTo() != null && c.outcome().equals("applied")) {
                out.add("    recorded, not served: " + CommitInfo.shortSha(c.pinnedTo()) + " is pinned");
            }
            for (AuditTrail.Change ch : c.changes()) {
                out.add(change(ch));
                for (FieldDiff.Change f : ch.fields()) {
                    out.add("        " + LogSafe.value(f.path()) + ": " + value(f.before()) + " -> "
                            + value(f.after()));
                }
                if (ch.moreFields() > 0) {
                    out.add("        (" + ch.moreFields() + " more fields changed)");
                }
            }
            c.errors().forEach(d -> out.add("    " + LogSafe.value(d.format(), DIAGNOSTIC_MAX)));
            if (c.warnings().count() > 0) {
                out.add("    " + c.warnings().count() + (c.warnings().count() == 1 ? " warning" : " warnings")
                        + (c.warnings().added().isEmpty() ? ", as before"
                        : c.warnings().added().size() == c.warnings().count() ? ""
                        : ", " + c.warnings().added().size() + " new:"));
                for (Diagnostic w : c.warnings().added()) {
                    out.add("    " + LogSafe.value(w.format(), DIAGNOSTIC_MAX));
                }
            }
            c.notes().forEach(n -> out.add("    note: " + LogSafe.value(n, DIAGNOSTIC_MAX)));
            c.clusters().forEach(a -> acks(a, out));
        }
        for (; nextPin != null; nextPin = pins.hasNext() ? pins.next() : null) {
            out.add(pin(nextPin));
        }
        for (AuditTrail.Publication p : report.publications()) {
            out.add(AuditCommand.TIME.format(p.time()) + "  published  cluster " + LogSafe.value(p.cluster())
                    + "  commit " + p.commits().stream().map(CommitInfo::shortSha).collect(Collectors.joining(","))
                    + "  (offset " + p.offset() + ")");
            p.scopes().forEach((scope, s) -> {
                if (p.changed().contains(scope)) {
                    out.add("    " + LogSafe.value(scope) + " version " + LogSafe.value(s.version()));
                }
            });
            p.withdrawn().forEach(scope -> out.add("    " + LogSafe.value(scope) + " withdrawn"));
        }
        report.notes().forEach(n -> out.add("note: " + LogSafe.value(n, DIAGNOSTIC_MAX)));
        AuditTrail.Summary s = report.summary();
        out.add(s.applied() + " commits applied, " + s.rejected() + " rejected, " + s.publications()
                + " publications");
        return out;
    }

    /**
     * A commit's snapshots in one cluster: published when, ACKs and NACKs, commit to ACK; then each scope version,
     * then the distinct NACK errors.
     */
    private static void acks(AckStats.ClusterAcks a, List<String> out) {
        AckStats.Latency l = a.commitToAckMs();
        out.add("    cluster " + LogSafe.value(a.cluster()) + "  published " + AuditCommand.TIME.format(a.published())
                + "  " + a.versions().size() + (a.versions().size() == 1 ? " version" : " versions") + "  ACKs "
                + a.acks() + "  NACKs " + a.nacks() + (l == null ? "" : "  commit->ACK p50 " + l.p50() + " ms  p99 "
                + l.p99() + " ms  max " + l.max() + " ms (" + a.proxiesMeasured()
                + (a.proxiesMeasured() == 1 ? " proxy pushed)" : " proxies pushed)")));
        int quiet = 0;
        for (AckStats.ScopeVersion v : a.versions()) {
            if (v.proxiesAcked() + v.proxiesNacked() == 0) {
                quiet++; // a scope no proxy is connected for: -o json lists it
                continue;
            }
            out.add("        " + LogSafe.value(v.scope()) + "  version " + LogSafe.value(v.version(), 16)
                    + "  ACKed " + v.proxiesAcked() + "  NACKed " + v.proxiesNacked());
        }
        if (quiet > 0) {
            out.add("        (" + quiet + " more " + (quiet == 1 ? "version" : "versions")
                    + ", not answered by any proxy)");
        }
        for (AckStats.Nack n : a.nackErrors()) {
            out.add("        NACK " + LogSafe.value(n.scope()) + " " + LogSafe.value(shortType(n.typeUrl()))
                    + " by " + n.proxies() + (n.proxies() == 1 ? " proxy" : " proxies") + " (first "
                    + LogSafe.value(n.proxyId()) + "): " + LogSafe.value(n.error(), DIAGNOSTIC_MAX));
        }
        if (a.nackErrorsUnlisted() > 0) {
            out.add("        (" + a.nackErrorsUnlisted() + " more NACKs with other errors)");
        }
    }

    private static String shortType(String typeUrl) {
        return typeUrl == null ? "?" : typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
    }

    private static String pin(AuditTrail.PinChange p) {
        String when = AuditCommand.TIME.format(p.recorded());
        return switch (p.op()) {
            case "pinned" -> when + "  pinned    " + CommitInfo.shortSha(p.commit()) + "  by " + LogSafe.value(p.by())
                    + "  \"" + LogSafe.value(p.reason()) + "\"  (offset " + p.offset() + ")";
            case "unpinned" -> when + "  unpinned  " + CommitInfo.shortSha(p.commit()) + "  by "
                    + LogSafe.value(p.by()) + "  (offset " + p.offset() + ")";
            case "unpinned-git-matches" -> when + "  unpinned  " + CommitInfo.shortSha(p.commit())
                    + "  git has its tree again  (offset " + p.offset() + ")";
            default -> throw new AssertionError(p.op());
        };
    }

    private static String change(AuditTrail.Change ch) {
        String key = LogSafe.value(ch.resource());
        return switch (ch.op()) {
            case "created" -> "    + " + key + "  (" + LogSafe.value(ch.file()) + ":" + ch.line() + ")";
            case "changed" -> "    ~ " + key + "  (" + LogSafe.value(ch.file()) + ":" + ch.line() + ")";
            case "deleted" -> "    - " + key;
            default -> throw new AssertionError(ch.op());
        };
    }

    private static String value(String json) {
        return json == null ? "(none)" : LogSafe.value(json, VALUE_MAX);
    }

    private static String header(AuditTrail.Commit c) {
        String subject = c.message().lines().findFirst().orElse("");
        return AuditCommand.TIME.format(c.time()) + "  " + (c.outcome().equals("applied") ? "applied " : "rejected")
                + "  " + LogSafe.value(CommitInfo.shortSha(c.sha())) + "  " + LogSafe.value(c.author()) + " <"
                + LogSafe.value(c.email()) + ">  \"" + LogSafe.value(subject) + "\"";
    }
}
