package meshlog.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the heap can still serve: unhealthy once an {@link OutOfMemoryError} ended a thread (a component's thread
 * is gone with it), and while the old generation's usage after the last collection is at or over {@code percent} of
 * its maximum (what is live, not garbage waiting for a GC). A process in that
 * state spends its time collecting; {@code /healthz} says so, and an orchestrator restarts it.
 */
final class HeapGuard {

    /** The system property that sets the threshold, in percent of each pool's maximum (default 90). */
    static final String PERCENT_PROPERTY = "meshlog.healthz.heapPercent";

    private final List<MemoryPoolMXBean> pools;
    private final int percent;
    private final AtomicReference<String> outOfMemory = new AtomicReference<>();

    private HeapGuard(List<MemoryPoolMXBean> pools, int percent) {
        this.pools = pools;
        this.percent = percent;
    }

    /** Watches the old generation and records OutOfMemoryErrors no thread caught (the previous handler still runs). */
    static HeapGuard install(int percent) {
        // The old generation only: it is the pool with a usage threshold (eden and survivor have none), and a
        // survivor space is often full right after a young collection, which says nothing about the heap.
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isUsageThresholdSupported()
                        && p.isCollectionUsageThresholdSupported() && p.getUsage().getMax() > 0)
                .toList();
        HeapGuard guard = new HeapGuard(pools, percent);
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
            // What the last collection left: live data (the JVM's own collection-usage threshold flag is not
            // recomputed when the threshold changes, so the comparison is made here).
            MemoryUsage afterGc = p.getCollectionUsage();
            long max = p.getUsage().getMax();
            long limit = max / 100 * percent;
            if (afterGc != null && afterGc.getUsed() >= limit) {
                return "heap pool '" + p.getName() + "' holds " + (afterGc.getUsed() >> 20) + " MiB after GC, over "
                        + (limit >> 20) + " MiB (" + percent + " % of " + (max >> 20) + " MiB, -D" + PERCENT_PROPERTY
                        + ")";
            }
        }
        return null;
    }
}
