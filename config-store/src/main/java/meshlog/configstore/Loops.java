package meshlog.configstore;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The one-thread loops meshlog's edges run their work on: a named daemon thread, stopped within a bound. */
public final class Loops {

    private Loops() {
    }

    /** A scheduler of one daemon thread named {@code name} (daemon: a loop never keeps the JVM alive). */
    public static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Interrupts the loop and waits up to 5 s for its current round to end. */
    public static void stop(ScheduledExecutorService loop) {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
