package meshlog.ops.logging;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.event.Level;

/**
 * Which level each logger logs at, configured as slf4j-simple is (so existing {@code simplelogger.properties} and
 * {@code -Dorg.slf4j.simpleLogger.log.NAME=debug} keep working): {@code defaultLogLevel}, and {@code log.PREFIX} for
 * the loggers under a dotted prefix, the longest prefix winning; system properties over the file. {@code off} logs
 * nothing.
 */
final class LogLevels {

    static final String PREFIX = "org.slf4j.simpleLogger.";

    private final Properties properties;

    LogLevels(Properties properties) {
        this.properties = properties;
    }

    /** {@code simplelogger.properties} from the class path, then the system properties. */
    static LogLevels load() {
        Properties p = new Properties();
        try (InputStream in = LogLevels.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // No file: every logger at the default level.
        }
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith(PREFIX)) {
                p.put(k, v);
            }
        });
        return new LogLevels(p);
    }

    /** The least severe level {@code logger} writes, or null for none. */
    Level threshold(String logger) {
        String name = logger;
        while (true) {
            String v = properties.getProperty(PREFIX + "log." + name);
            if (v != null) {
                return level(v);
            }
            int dot = name.lastIndexOf('.');
            if (dot < 0) {
                return level(properties.getProperty(PREFIX + "defaultLogLevel", "info"));
            }
            name = name.substring(0, dot);
        }
    }

    private static Level level(String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "warn" -> Level.WARN;
            case "error" -> Level.ERROR;
            case "off" -> null;
            default -> Level.INFO;
        };
    }
}
