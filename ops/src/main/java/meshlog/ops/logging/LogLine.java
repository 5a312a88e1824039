package meshlog.ops.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.event.Level;

/** One log record as a line of text or of JSON. Pure: the record in, the line out. */
final class LogLine {

    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private LogLine() {
    }

    /** slf4j-simple's layout, then the stack trace on the lines below, as it prints one. */
    static String text(Instant time, String thread, Level level, String logger, String message, Throwable error) {
        StringBuilder sb = new StringBuilder(CLOCK.format(time)).append(" [").append(thread).append("] ")
                .append(level).append(' ').append(logger).append(" - ").append(message);
        if (error != null) {
            sb.append(System.lineSeparator()).append(stack(error).stripTrailing());
        }
        return sb.toString();
    }

    /**
     * {@code {"time":"2026-12-07T16:26:43.123Z","level":"INFO","logger":"meshlog.up","thread":"main","msg":"..."}},
     * with {@code "error"} (class: message) and {@code "stack"} when there is a throwable; always one line.
     */
    static String json(Instant time, String thread, Level level, String logger, String message, Throwable error) {
        StringBuilder sb = new StringBuilder(128 + message.length()).append("{\"time\":\"")
                .append(time.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .append("\",\"level\":\"").append(level).append("\",\"logger\":");
        quote(logger, sb).append(",\"thread\":");
        quote(thread, sb).append(",\"msg\":");
        quote(message, sb);
        if (error != null) {
            sb.append(",\"error\":");
            quote(error.toString(), sb).append(",\"stack\":");
            quote(stack(error), sb);
        }
        return sb.append('}').toString();
    }

    private static String stack(Throwable error) {
        StringWriter w = new StringWriter();
        error.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** A JSON string: quotes, backslashes and every control character escaped, so a record stays one line. */
    static StringBuilder quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
