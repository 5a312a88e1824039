package meshlog.configstore.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record of {@code meshlog.proxy-acks}: its bytes are a schema other versions of meshlog read. */
class SnapshotAcksTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/snapshot-acks-v1.json");

    static SnapshotAcks sample() {
        Instant t = Instant.parse("2026-12-07T09:00:00Z");
        return new SnapshotAcks("east", "grpc~demo", "9d20091085fc1c24", "0123abcd", "127.0.0.1:15010", t, 3, 1,
                t.plusMillis(12), t.plusMillis(1234), Map.of(12L, 2, 1200L, 1), t.plusMillis(1234),
                List.of(new SnapshotAcks.NackError("type.googleapis.com/envoy.config.cluster.v3.Cluster",
                        SnapshotAcks.safeError("ring hash:\nbad"), 1, "sidecar~127.0.0.1~a.demo~demo.svc.cluster.local")),
                0);
    }

    @Test
    void theEncodingIsTheCheckedInSchemaVersion1() throws Exception {
        String json = new String(sample().encode(), StandardCharsets.UTF_8);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(GOLDEN, json + "\n");
        }
        assertThat(json + "\n").isEqualTo(Files.readString(GOLDEN));
    }

    @Test
    void theCheckedInRecordDecodesToTheSameValue() throws Exception {
        assertThat(SnapshotAcks.decode(Files.readAllBytes(GOLDEN))).isEqualTo(sample());
    }

    @Test
    void aNewerSchemaOrAnotherTypeIsRefusedWithAReason() {
        assertThatThrownBy(() -> SnapshotAcks.decode("{\"type\":\"SnapshotAcks\",\"schemaVersion\":2}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("schemaVersion=2");
        assertThatThrownBy(() -> SnapshotAcks.decode("{\"type\":\"Other\\u001b\",\"schemaVersion\":1}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("type=Other\\u001b");
    }

    @Test
    void bucketsAreExactBelow100msThenTwoSignificantDigits() {
        assertThat(List.of(0L, 99L, 100L, 199L, 1234L, 98765L, -5L).stream().map(SnapshotAcks::bucket).toList())
                .containsExactly(0L, 99L, 100L, 190L, 1200L, 98000L, 0L);
    }
}
