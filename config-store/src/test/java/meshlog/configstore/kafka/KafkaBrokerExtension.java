package meshlog.configstore.kafka;

import meshlog.kafkaembedded.EmbeddedKafkaBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded broker per test class, with meshlog's topics created:
 * {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();}.
 * The data directory is a fresh temporary one, deleted after the class.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private Path dataDir;
    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("meshlog-kafka-");
        broker = EmbeddedKafkaBroker.start(dataDir, 0);
        Topics.ensure(broker.bootstrapServers());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            deleteTree(dataDir);
        }
    }

    public String bootstrap() {
        return broker.bootstrapServers();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker (an outage); {@link #startAgain()} ends it. */
    public void stop() {
        broker.close();
        broker = null;
    }

    /** Starts the broker again on the same data directory, and so the same address. */
    public void startAgain() {
        broker = EmbeddedKafkaBroker.start(dataDir, 0);
    }

    /** Stops the broker and starts a new one on the same data directory (its address may change). */
    public void restart() {
        broker.close();
        broker = null;
        broker = EmbeddedKafkaBroker.start(dataDir, 0);
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
