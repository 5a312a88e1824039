package meshlog.ops;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Heartbeats of components that can get stuck: each probe runs every {@code every} on a thread of its own and asks
 * the component something that needs its lock or its loop (a distributor's served version takes the lock a push
 * holds). A probe that has not come back for {@code deadline} names a stuck component on {@code /healthz}.
 */
final class Watchdog implements AutoCloseable {

    private final class Beat {
        final String name;
        final Runnable probe;
        volatile long last;
        final Thread thread;

        Beat(String name, Runnable probe) {
            this.name = name;
            this.probe = probe;
            this.last = nanos.getAsLong();
            this.thread = new Thread(this::run, "meshlog-watchdog-" + name);
            thread.setDaemon(true);
        }

        void run() {
            while (!closed) {
                try {
                    probe.run();
                } catch (RuntimeException e) {
                    // it answered: a failure is the component's own health, reported elsewhere
                }
                last = nanos.getAsLong();
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private final Duration every;
    private final Duration deadline;
    private final LongSupplier nanos;
    private final List<Beat> beats = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    Watchdog(Duration every, Duration deadline, LongSupplier nanos) {
        this.every = every;
        this.deadline = deadline;
        this.nanos = nanos;
    }

    void watch(String name, Runnable probe) {
        Beat beat = new Beat(name, probe);
        beats.add(beat);
        beat.thread.start();
    }

    /** Component name to how long its probe has not come back, for those past the deadline. */
    Map<String, String> stuck() {
        Map<String, String> out = new TreeMap<>();
        long now = nanos.getAsLong();
        for (Beat b : beats) {
            long silent = now - b.last;
            if (silent > deadline.toNanos()) {
                out.put(b.name, "stuck: no heartbeat for " + silent / 1_000_000 + " ms (limit "
                        + deadline.toMillis() + " ms)");
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        beats.forEach(b -> b.thread.interrupt());
    }
}
