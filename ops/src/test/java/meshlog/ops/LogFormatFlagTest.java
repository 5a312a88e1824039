package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import meshlog.configstore.event.EventCodec;
import meshlog.ops.logging.LogFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code --log-format json} on any command: the process's log lines, Kafka's included, become JSON objects. */
class LogFormatFlagTest {

    @AfterEach
    void back() {
        LogFormat.use(LogFormat.TEXT);
    }

    @Test
    void theFlagIsTakenOutWhereverItIsAndTheLinesAreJson() throws Exception {
        assertThat(Main.logFormat(List.of("audit", "--log-format", "json", "-o", "json"))).containsExactly("audit",
                "-o", "json");
        assertThat(LogFormat.current()).isEqualTo(LogFormat.JSON);
        String err = GitSyncLogCapture.stderr(() -> {
            LoggerFactory.getLogger("meshlog.up").info("commit {} applied", "abc\ndef");
            LoggerFactory.getLogger("meshlog.up").debug("not at this level");
            LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").warn("below kafka's error threshold");
        });
        List<String> lines = err.lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode j = EventCodec.json().readTree(lines.get(0));
        assertThat(List.of(j.get("level").asText(), j.get("logger").asText(), j.get("msg").asText()))
                .containsExactly("INFO", "meshlog.up", "commit abc\ndef applied");

        assertThat(Main.logFormat(List.of("--log-format=text", "validate"))).containsExactly("validate");
        String text = GitSyncLogCapture.stderr(() -> LoggerFactory.getLogger("meshlog.up").warn("plain"));
        assertThat(text.strip()).endsWith("WARN meshlog.up - plain");
    }

    @Test
    void aBadValueIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("--log-format", "xml", "validate", "."), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("meshlog: --log-format takes text or json\n");
    }
}
