package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.gatewayapi.ResourceKey;
import org.junit.jupiter.api.Test;

/** The audit of config-store's checked-in schema-1 log: what each commit did, as a user reads it. */
class AuditTrailTest {

    static List<LoggedEvent> schema1() throws Exception {
        List<LoggedEvent> out = new ArrayList<>();
        try (InputStream in = AuditTrailTest.class.getResourceAsStream("/event-log/schema-1.jsonl")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                out.add(new LoggedEvent(i, Instant.parse("2026-12-01T10:00:00Z").plusSeconds(i),
                        EventCodec.decode(lines.get(i).getBytes(StandardCharsets.UTF_8))));
            }
        }
        return out;
    }

    @Test
    void eachCommitWithItsFieldChangesNewWarningsAndNotesOfObjectsNoLongerReadable() throws Exception {
        List<String> lines = AuditReport.lines(schema1());

        assertThat(lines).containsExactly(
                "2026-12-01 09:00:00Z  applied   11111111  Ada <ada@example.com>  \"echo: service and subsets\""
                        + "  (3 changed, offset 3)",
                "    + ServiceEntry demo/echo  (echo-service.yaml:1)",
                "    + DestinationRule demo/echo  (echo-service.yaml:15)",
                "    + DestinationRule demo/legacy  (legacy.yaml:1)",
                "    note: DestinationRule demo/legacy (legacy.yaml:1) was recorded, but this meshlog cannot read it"
                        + " any more; it is not served by this version",
                "2026-12-01 09:05:00Z  applied   22222222  Ada <ada@example.com>  \"echo: canary 80/20\""
                        + "  (1 changed, offset 5)",
                "    + VirtualService demo/echo  (echo-routing.yaml:1)",
                "    1 warning",
                "    echo-routing.yaml:1:1: warning [ML0011] VirtualService demo/echo spec.http[0].retries: retries is"
                        + " valid but not applied to proxies yet",
                "2026-12-01 09:10:00Z  rejected  33333333  Bob <bob@example.com>  \"echo: oops\"  (offset 6)",
                "    echo-routing.yaml:9:7: error [VS0101] VirtualService demo/echo spec.http[0].route[0].weight:"
                        + " must be >= 0, got -5",
                "2026-12-01 09:15:00Z  applied   44444444  Bob <bob@example.com>  \"echo: all to v2\""
                        + "  (1 changed, offset 8)",
                "    ~ VirtualService demo/echo  (echo-routing.yaml:1)",
                "        spec.http[0].route[0].weight: 80 -> 0",
                "        spec.http[0].route[1].weight: 20 -> 100",
                "2026-12-01 09:20:00Z  applied   55555555  Ada <ada@example.com>  \"echo: routing retired\""
                        + "  (1 changed, offset 10)",
                "    - VirtualService demo/echo",
                "4 commits applied, 1 rejected, 0 publications");
    }

    @Test
    void filtersKeepOnlyTheCommitsAskedFor() throws Exception {
        ResourceKey vs = new ResourceKey("VirtualService", "demo", "echo");
        AuditTrail.Report byBob = AuditTrail.of(schema1(), List.of(),
                new AuditTrail.Filter(null, null, null, "BOB@", null), List.of());
        assertThat(byBob.commits()).extracting(AuditTrail.Commit::outcome).containsExactly("rejected", "applied");
        AuditTrail.Report byVs = AuditTrail.of(schema1(), List.of(),
                new AuditTrail.Filter(Instant.parse("2026-12-01T10:00:06Z"), null, vs, null, null), List.of());
        assertThat(byVs.commits()).extracting(c -> c.sha().substring(0, 1)).containsExactly("3", "4", "5");
        assertThat(byVs.summary()).isEqualTo(new AuditTrail.Summary(2, 1, 0));
    }
}
