package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent.BranchRewritten;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.gatewayapi.ResourceKey;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.gatewayapi.Diagnostic;
import org.junit.jupiter.api.Test;

class AuditReportTest {

    static final String FORGED = "\n2026-12-06 10:00:00Z  applied   cafebabe  FORGED <f@x>  \"ok\"";

    @Test
    void authorsSubjectsAndFileNamesFromACommitNeverStartALine() {
        CommitInfo info = new CommitInfo("0123456789abcdef", "Eve" + FORGED, "eve@x" + FORGED,
                Instant.parse("2026-12-06T09:00:00Z"), "subject \u001b[2K\r" + FORGED.strip());
        Diagnostic d = new Diagnostic("ML0001", Diagnostic.Severity.ERROR, "x" + FORGED + ".yaml", 1, 8, "", "",
                "not valid YAML: while parsing\n in 'reader'");
        List<String> lines = AuditReport.lines(List.of(new LoggedEvent(7, Instant.EPOCH,
                new CommitRejected("default", info, List.of(d)))));

        assertThat(lines).hasSize(3).noneMatch(l -> l.contains("\n") || l.contains("\r") || l.contains("\u001b"));
        assertThat(lines.get(0)).isEqualTo("2026-12-06 09:00:00Z  rejected  01234567  Eve\\n2026-12-06 10:00:00Z"
                + "  applied   cafebabe  FORGED <f@x>  \\\"ok\\\" <eve@x\\n2026-12-06 10:00:00Z  applied   cafebabe"
                + "  FORGED <f@x>  \\\"ok\\\">  \"subject \\u001b[2K\"  (offset 7)");
        assertThat(lines.get(1)).isEqualTo("    x\\n2026-12-06 10:00:00Z  applied   cafebabe  FORGED <f@x> "
                + " \\\"ok\\\".yaml:1:8: error [ML0001] not valid YAML: while parsing\\n in 'reader'");
        assertThat(lines.get(2)).isEqualTo("0 commits applied, 1 rejected, 0 publications");
    }

    @Test
    void aCommitAfterAForcePushSaysWhichCommitLeftTheBranch() {
        CommitInfo c = new CommitInfo("c0ffee0000000000", "Ada", "ada@example.com",
                Instant.parse("2026-12-06T09:00:00Z"), "C instead of B");
        ResourceKey key = new ResourceKey("ServiceEntry", "demo", "echo-c");
        List<LoggedEvent> events = List.of(
                new LoggedEvent(4, Instant.EPOCH, new BranchRewritten("default", c.sha(), "b0b0b0b0b0b0", "main")),
                new LoggedEvent(5, Instant.EPOCH, new ResourceUpserted("default", c.sha(), key, "mesh/c.yaml", 1,
                        "{\"apiVersion\":\"networking.istio.io/v1\",\"kind\":\"ServiceEntry\",\"metadata\":{\"name\":"
                        + "\"echo-c\",\"namespace\":\"demo\"},\"spec\":{\"hosts\":[\"echo-c.example.com\"]}}")),
                new LoggedEvent(6, Instant.EPOCH, new CommitApplied("default", c, List.of(key), List.of())));

        AuditTrail.Report report = AuditTrail.of(events, List.of(), AuditTrail.Filter.NONE, List.of());

        assertThat(report.commits()).singleElement().extracting(AuditTrail.Commit::rewrite)
                .isEqualTo(new AuditTrail.Rewrite("b0b0b0b0b0b0", "main"));
        assertThat(AuditReport.lines(report)).containsExactly(
                "2026-12-06 09:00:00Z  applied   c0ffee00  Ada <ada@example.com>  \"C instead of B\"  (1 changed,"
                        + " offset 6)",
                "    branch main rewritten (force-push): b0b0b0b0 is no longer on it; c0ffee00 was judged as a whole"
                        + " tree",
                "    + ServiceEntry demo/echo-c  (mesh/c.yaml:1)",
                "1 commits applied, 0 rejected, 0 publications");
    }
}
