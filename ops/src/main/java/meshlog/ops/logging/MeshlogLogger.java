package meshlog.ops.logging;

import java.time.Instant;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A logger writing each record as one line ({@link LogLine}) to the process's standard error as it is at that
 * moment (tests swap it to capture what a component logs).
 */
final class MeshlogLogger extends LegacyAbstractLogger {

    private final transient Level threshold;

    MeshlogLogger(String name, Level threshold) {
        this.name = name;
        this.threshold = threshold;
    }

    private boolean enabled(Level level) {
        return threshold != null && level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable error) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        Instant now = Instant.now();
        String thread = Thread.currentThread().getName();
        String line = LogFormat.current() == LogFormat.JSON
                ? LogLine.json(now, thread, level, name, message == null ? "" : message, error)
                : LogLine.text(now, thread, level, name, message == null ? "" : message, error);
        System.err.println(line);
    }
}
