package meshlog.ops.logging;

import java.util.Locale;

/**
 * How log lines are written: TEXT ({@code 16:26:43.123 [main] INFO meshlog.up - started ...}, as slf4j-simple's) or
 * JSON (one object per line, for a log pipeline). Chosen once per process by {@code --log-format} or
 * {@code MESHLOG_LOG_FORMAT}, before the first line.
 */
public enum LogFormat {
    TEXT, JSON;

    private static volatile LogFormat current = fromEnvironment();

    public static LogFormat current() {
        return current;
    }

    public static void use(LogFormat format) {
        current = format;
    }

    /** {@code text} or {@code json}, any case; anything else is refused naming the choices. */
    public static LogFormat parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--log-format takes text or json");
        }
    }

    private static LogFormat fromEnvironment() {
        String env = System.getenv("MESHLOG_LOG_FORMAT");
        return env != null && env.equalsIgnoreCase("json") ? JSON : TEXT;
    }
}
