package meshlog.ops;

import java.time.Duration;

/**
 * A process whose components never finish closing, for {@link ShutdownDeadlineTest}: {@code args[0]} is the stop
 * timeout in ms, {@code args[1]} {@code stuck} or {@code quick}.
 */
public final class StuckOnStop {

    private StuckOnStop() {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean stuck = args[1].equals("stuck");
        ShutdownDeadline stop = ShutdownDeadline.install(() -> {
            if (stuck) {
                Object never = new Object();
                synchronized (never) {
                    while (true) {
                        try {
                            never.wait();
                        } catch (InterruptedException e) {
                            // a stuck component ignores interrupts too
                        }
                    }
                }
            }
        }, Duration.ofMillis(Long.parseLong(args[0])), System.err);
        System.out.println("ready");
        System.out.flush();
        stop.await();
    }
}
