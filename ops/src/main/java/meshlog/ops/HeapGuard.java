package meshlog.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the heap can still serve: unhealthy once an {@link OutOfMemoryError} ended a thread (a component's thread
 * is gone with it), and while the heap pools' usage after the last collection is at or over {@code percent} of their
 * maximum (the JVM's collection usage threshold: what is live, not garbage waiting for a GC). A process in that
 * state spends its time collecting; {@code /healthz} says so, and an orchestrator restarts it.
 */
final class HeapGuard {

    /** The system property that sets the threshold, in percent of each pool's maximum (default 90). */
    static final String PERCENT_PROPERTY = "meshlog.healthz.heapPercent";

    private final List<MemoryPoolMXBean> pools;
    private final AtomicReference<String> outOfMemory = new AtomicReference<>();

    private HeapGuard(List<MemoryPoolMXBean> pools) {
        this.pools = pools;
    }

    /**
     * Sets the threshold on every heap pool that supports one and records OutOfMemoryErrors no thread caught (the
     * previous default handler still runs).
     */
    static HeapGuard install(int percent) {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()
                        && p.getUsage().getMax() > 0)
                .toList();
        pools.forEach(p -> p.setCollectionUsageThreshold(Math.max(1, p.getUsage().getMax() / 100 * percent)));
        HeapGuard guard = new HeapGuard(pools);
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof OutOfMemoryError) {
                guard.outOfMemory.compareAndSet(null, "OutOfMemoryError in thread " + thread.getName());
            }
            if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                System.err.println("Exception in thread \"" + thread.getName() + "\" " + e);
            }
        });
        return guard;
    }

    static int percentFromProperty() {
        String v = System.getProperty(PERCENT_PROPERTY, "90");
        try {
            int p = Integer.parseInt(v.strip());
            if (p >= 1 && p <= 100) {
                return p;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw new IllegalArgumentException("-D" + PERCENT_PROPERTY + " must be a whole number 1..100, got " + v);
    }

    /** What is wrong with the heap, or null. */
    String problem() {
        String oom = outOfMemory.get();
        if (oom != null) {
            return oom;
        }
        for (MemoryPoolMXBean p : pools) {
            if (p.isCollectionUsageThresholdExceeded()) {
                long used = p.getCollectionUsage().getUsed();
                return "heap pool '" + p.getName() + "' holds " + (used >> 20) + " MiB after GC, over "
                        + (p.getCollectionUsageThreshold() >> 20) + " MiB (" + PERCENT_PROPERTY + ")";
            }
        }
        return null;
    }

    /** Clears the thresholds (tests share one JVM). */
    void uninstall() {
        pools.forEach(p -> p.setCollectionUsageThreshold(0));
    }
}
