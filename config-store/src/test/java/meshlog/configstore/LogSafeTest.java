package meshlog.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void aNewlineCannotStartAForgedLine() {
        String forged = "Alice\n2026-12-06 INFO GitSync - commit applied cafebabe author=\"FORGED\"";
        assertThat(LogSafe.value(forged, 500)).isEqualTo(
                "Alice\\n2026-12-06 INFO GitSync - commit applied cafebabe author=\\\"FORGED\\\"")
                .doesNotContain("\n");
    }

    @Test
    void controlCharactersTerminalEscapesAndBidiOverridesAreEscaped() {
        assertThat(LogSafe.value("a\r\tb\u001b[2Jc\u0000\u007f\u0085\u2028\u2029\u202eevil\u2066"))
                .isEqualTo("a\\r\\tb\\u001b[2Jc\\u0000\\u007f\\u0085\\u2028\\u2029\\u202eevil\\u2066");
        assertThat(LogSafe.value("C:\\repo")).isEqualTo("C:\\\\repo");
        assertThat(LogSafe.value(null)).isEqualTo("null");
        assertThat(LogSafe.value("mesh/ünïcode.yaml")).isEqualTo("mesh/ünïcode.yaml");
    }

    @Test
    void longValuesAreCutWithAMarkerAndNeverInsideASurrogatePair() {
        assertThat(LogSafe.value("x".repeat(250))).isEqualTo("x".repeat(200) + "…(+50 chars)");
        assertThat(LogSafe.value("ab\uD83D\uDE00cd", 3)).isEqualTo("ab…(+4 chars)");
        assertThat(LogSafe.value("abc", 3)).isEqualTo("abc");
    }
}
