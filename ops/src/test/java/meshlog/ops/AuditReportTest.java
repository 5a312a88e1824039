package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
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
}
