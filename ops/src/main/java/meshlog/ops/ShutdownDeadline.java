package meshlog.ops;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Makes SIGTERM (and Ctrl-C) stop the process within a bound: a shutdown hook closes {@code stop} and, should that
 * not finish within {@code timeout} (a component blocked on a dead broker, a heap too full to make progress), halts
 * the JVM with exit code 3. Every thread and object it needs is made at installation, so it works with no heap left.
 */
final class ShutdownDeadline {

    static final int HALTED = 3;

    private final CountDownLatch stopped = new CountDownLatch(1);

    private ShutdownDeadline() {
    }

    /** Installs the hook; {@link #await()} returns once {@code stop} has run (or the JVM halts first). */
    static ShutdownDeadline install(Runnable stop, Duration timeout, PrintStream err) {
        ShutdownDeadline d = new ShutdownDeadline();
        CountDownLatch armed = new CountDownLatch(1);
        String message = "meshlog: not stopped within " + timeout.toMillis() + " ms of the stop signal; halting";
        Thread halter = new Thread(() -> {
            try {
                armed.await();
                if (!d.stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    err.println(message);
                    err.flush();
                    Runtime.getRuntime().halt(HALTED);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "meshlog-shutdown-deadline");
        halter.setDaemon(true);
        halter.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            armed.countDown();
            try {
                stop.run();
            } catch (Throwable e) {
                // the deadline still holds; nothing else to do on the way out
            } finally {
                d.stopped.countDown();
            }
        }, "meshlog-shutdown"));
        return d;
    }

    void await() throws InterruptedException {
        stopped.await();
    }

    /** Whether {@code stop} has run, waiting at most {@code wait}. */
    boolean await(Duration wait) throws InterruptedException {
        return stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }
}
