package meshlog.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The lines a record becomes, and which loggers write at which level. */
class LogLineTest {

    static final Instant T = Instant.parse("2026-12-07T16:26:43.123456789Z");

    @Test
    void aJsonLineIsOneLineOfValidJsonWhateverTheMessageHolds() throws Exception {
        String hostile = "commit \"x\"\nINFO forged line\t\\ \u0001 \u2028";
        String line = LogLine.json(T, "main", Level.WARN, "meshlog.git-sync", hostile,
                new IllegalStateException("broker down"));
        assertThat(line).doesNotContain("\n", "\r", "\u2028");
        JsonNode j = new ObjectMapper().readTree(line);
        assertThat(j.get("time").asText()).isEqualTo("2026-12-07T16:26:43.123Z");
        assertThat(j.get("level").asText()).isEqualTo("WARN");
        assertThat(j.get("logger").asText()).isEqualTo("meshlog.git-sync");
        assertThat(j.get("thread").asText()).isEqualTo("main");
        assertThat(j.get("msg").asText()).isEqualTo(hostile);
        assertThat(j.get("error").asText()).isEqualTo("java.lang.IllegalStateException: broker down");
        assertThat(j.get("stack").asText()).startsWith("java.lang.IllegalStateException: broker down\n\tat ");
        assertThat(new ObjectMapper().readTree(LogLine.json(T, "t", Level.INFO, "a", "ok", null)).has("error"))
                .isFalse();
    }

    @Test
    void aTextLineIsSlf4jSimplesLayout() {
        String line = LogLine.text(T, "main", Level.INFO, "meshlog.up", "meshlog up in 812 ms", null);
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.123 \\[main\\] INFO meshlog.up - meshlog up in 812 ms");
    }

    @Test
    void levelsFollowTheLongestConfiguredPrefixAsSlf4jSimplesDo() {
        Properties p = new Properties();
        p.put("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        p.put("org.slf4j.simpleLogger.log.meshlog", "info");
        p.put("org.slf4j.simpleLogger.log.meshlog.xds", "debug");
        p.put("org.slf4j.simpleLogger.log.org.apache.kafka", "off");
        LogLevels levels = new LogLevels(p);
        assertThat(levels.threshold("meshlog.up")).isEqualTo(Level.INFO);
        assertThat(levels.threshold("meshlog.xds.grpc.AdsServer")).isEqualTo(Level.DEBUG);
        assertThat(levels.threshold("meshlogx")).isEqualTo(Level.WARN);
        assertThat(levels.threshold("org.apache.kafka.clients.NetworkClient")).isNull();
        assertThat(levels.threshold("io.grpc.netty")).isEqualTo(Level.WARN);
    }
}
