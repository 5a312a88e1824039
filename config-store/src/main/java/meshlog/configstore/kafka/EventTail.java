package meshlog.configstore.kafka;

import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows one repo's events in {@code meshlog.config-events} from the beginning, forever until {@link #close()},
 * on one daemon thread: {@code onEvent} is called in log order with committed events only. A reader folds them
 * into a {@link meshlog.configstore.state.ConfigState} and acts at each commit's closing event.
 *
 * <p>A record that cannot be decoded, or an exception from {@code onEvent}, stops the tail (logged, and
 * available from {@link #failure()}): skipping an event would silently serve a wrong state.
 */
public final class EventTail implements AutoCloseable {

    private final TopicTail tail;

    private EventTail(TopicTail tail) {
        this.tail = tail;
    }

    /**
     * @throws IllegalStateException if the topic does not exist
     * @throws org.apache.kafka.common.errors.TimeoutException if the broker cannot be reached within seconds
     */
    public static EventTail start(String bootstrap, String repo, Consumer<LoggedEvent> onEvent) {
        TopicTail.Handler handler = (ConsumerRecord<String, byte[]> r) -> {
            if (repo.equals(r.key())) {
                onEvent.accept(KafkaEventLog.toLogged(r));
            }
        };
        return new EventTail(TopicTail.start(bootstrap, Topics.CONFIG_EVENTS, "meshlog-event-tail-" + repo, handler));
    }

    /** True once every event up to the end of the log at start has been passed to {@code onEvent}. */
    public boolean caughtUp() {
        return tail.caughtUp();
    }

    /** Records of the log not read yet, or -1 while not known ({@link TopicTail#lag()}). */
    public long lag() {
        return tail.lag();
    }

    /** Why the tail stopped on its own, or null while it runs (or after a plain close). */
    public Throwable failure() {
        return tail.failure();
    }

    @Override
    public void close() {
        tail.close();
    }
}
