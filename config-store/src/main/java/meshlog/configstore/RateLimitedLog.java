package meshlog.configstore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Log lines for events a client can repeat at will (refusals from one address, NACKs from one proxy group): the first
 * event of a key in a window is written, the others of that window are counted and written as one summary line when
 * the window ends. At most {@code maxKeys} keys are tracked; events of further keys share one key, {@code (other)}.
 * So a client repeating an event a million times a second costs two lines per window, not a million.
 *
 * <p>Keys and lines must already be bounded and escaped ({@link LogSafe}).
 */
public final class RateLimitedLog {

    static final String OTHER = "(other)";
    private static final Set<RateLimitedLog> LIVE = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));
    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meshlog-log-summaries");
        t.setDaemon(true);
        return t;
    });

    static {
        FLUSHER.scheduleWithFixedDelay(RateLimitedLog::flushAll, 1, 1, TimeUnit.SECONDS);
    }

    private static final class Window {
        long start;
        long suppressed;

        Window(long start) {
            this.start = start;
        }
    }

    private final Consumer<String> sink;
    private final long windowNanos;
    private final int maxKeys;
    private final LongSupplier nanos;
    private final Map<String, Window> windows = new LinkedHashMap<>();

    /** For tests: nothing flushes it but {@link #flush()}. */
    public RateLimitedLog(Consumer<String> sink, Duration window, int maxKeys, LongSupplier nanos) {
        this.sink = sink;
        this.windowNanos = window.toNanos();
        this.maxKeys = maxKeys;
        this.nanos = nanos;
    }

    /** A 10 s window per key, 256 keys, summaries written within a second of the window's end. */
    public static RateLimitedLog of(Consumer<String> sink) {
        RateLimitedLog log = new RateLimitedLog(sink, Duration.ofSeconds(10), 256, System::nanoTime);
        LIVE.add(log);
        return log;
    }

    /** Writes {@code line} unless an event of {@code key} was written within the window; counts it then. */
    public void event(String key, Supplier<String> line) {
        List<String> out = new ArrayList<>(2);
        synchronized (this) {
            long now = nanos.getAsLong();
            String k = windows.containsKey(key) || windows.size() < maxKeys ? key : OTHER;
            Window w = windows.get(k);
            if (w == null) {
                windows.put(k, new Window(now));
                out.add(line.get());
            } else if (now - w.start >= windowNanos) {
                summary(k, w, now).ifPresent(out::add);
                w.start = now;
                w.suppressed = 0;
                out.add(line.get());
            } else {
                w.suppressed++;
            }
        }
        out.forEach(sink);
    }

    /** Writes the summary of every window that has ended, and forgets keys whose window ended. */
    public void flush() {
        List<String> out = new ArrayList<>();
        synchronized (this) {
            long now = nanos.getAsLong();
            for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Window> e = it.next();
                if (now - e.getValue().start >= windowNanos) {
                    summary(e.getKey(), e.getValue(), now).ifPresent(out::add);
                    it.remove();
                }
            }
        }
        out.forEach(sink);
    }

    private static java.util.Optional<String> summary(String key, Window w, long now) {
        if (w.suppressed == 0) {
            return java.util.Optional.empty();
        }
        long ms = Math.max(1, (now - w.start) / 1_000_000);
        return java.util.Optional.of(key + ": " + w.suppressed + " more in the " + ms + " ms since the first was"
                + " logged (repeats are counted, not logged)");
    }

    private static void flushAll() {
        List<RateLimitedLog> logs;
        synchronized (LIVE) {
            logs = new ArrayList<>(LIVE);
        }
        for (RateLimitedLog log : logs) {
            try {
                log.flush();
            } catch (RuntimeException e) {
                // a sink failing must not stop the summaries of the others
            }
        }
    }
}
