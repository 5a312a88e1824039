package meshlog.xds.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import meshlog.configstore.LogSafe;
import meshlog.configstore.RateLimitedLog;
import org.slf4j.LoggerFactory;

/**
 * grpc-java's transport warnings (java.util.logging) as one escaped, bounded line each, at most one per kind in a
 * window: a client sending oversized or broken frames cannot fill the log with stack traces.
 */
final class TransportLog {

    private static final RateLimitedLog LOG = RateLimitedLog.of(LoggerFactory.getLogger(TransportLog.class)::warn);

    private TransportLog() {
    }

    /** The loggers named, filtered; the caller keeps them (java.util.logging holds loggers weakly). */
    static List<Logger> install(String... names) {
        List<Logger> out = new ArrayList<>();
        for (String name : names) {
            Logger logger = Logger.getLogger(name);
            logger.setFilter(TransportLog::oneLine);
            out.add(logger);
        }
        return out;
    }

    private static boolean oneLine(LogRecord record) {
        if (record.getLevel().intValue() < Level.WARNING.intValue()) {
            return false;
        }
        Throwable thrown = record.getThrown();
        String kind = record.getMessage() + (thrown == null ? "" : " " + thrown.getClass().getName());
        String detail = thrown == null ? "" : ": " + LogSafe.value(thrown.getMessage(), 300);
        LOG.event(LogSafe.value(kind, 200), () -> "grpc transport: " + LogSafe.value(record.getMessage(), 200) + detail);
        return false;
    }
}
