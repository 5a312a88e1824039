package meshlog.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import meshlog.configstore.LogSafe;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;

/**
 * Where the commands that read the log ({@code audit}, {@code state}, {@code diff}) find it: {@code --kafka
 * HOST:PORT}, or {@code --data-dir DIR} of a {@code meshlog up}. A stopped node's log is opened with an embedded
 * broker of its own; a running node holds the directory's lock, and is read through the address it wrote to
 * {@value #ADDRESS_FILE} in the data dir.
 */
final class LogSource implements AutoCloseable {

    /** The broker address of a running {@code meshlog up}, in its data dir; deleted when it stops. */
    static final String ADDRESS_FILE = "broker.address";

    private final String bootstrap;
    private final EmbeddedKafkaBroker broker;

    private LogSource(String bootstrap, EmbeddedKafkaBroker broker) {
        this.bootstrap = bootstrap;
        this.broker = broker;
    }

    /** @throws Flags.UsageException (one line for the user) when neither names a log that can be read */
    static LogSource open(Flags f, String command) {
        if (f.has("kafka")) {
            KafkaFlags.register(f, f.get("kafka", ""));
            return new LogSource(f.get("kafka", ""), null);
        }
        Path dataDir = Path.of(f.get("data-dir", ".meshlog"));
        if (!Files.isDirectory(dataDir.resolve("kafka"))) {
            throw new Flags.UsageException(command + ": no meshlog log under " + dataDir + " (give --data-dir of a"
                    + " meshlog up, or --kafka HOST:PORT)");
        }
        try {
            return new LogSource(null, EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0));
        } catch (IllegalStateException e) {
            String running = runningAddress(dataDir);
            if (running == null) {
                throw new Flags.UsageException(command + ": cannot open the log under " + dataDir + ": "
                        + e.getMessage());
            }
            return new LogSource(running, null); // a running meshlog up: read through its broker
        }
    }

    /** The address a running node wrote, or null. */
    private static String runningAddress(Path dataDir) {
        try {
            String text = Files.readString(dataDir.resolve(ADDRESS_FILE), StandardCharsets.UTF_8).strip();
            return text.matches("[A-Za-z0-9.:\\[\\]-]{1,300}") ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes the address of a node's broker into its data dir, for {@link #open}. */
    static AutoCloseable publishAddress(Path dataDir, String bootstrap) throws IOException {
        Path file = dataDir.resolve(ADDRESS_FILE);
        Path tmp = dataDir.resolve(ADDRESS_FILE + ".tmp");
        Files.writeString(tmp, bootstrap + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return () -> Files.deleteIfExists(file);
    }

    String bootstrap() {
        return broker != null ? broker.bootstrapServers() : bootstrap;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    public String toString() {
        return LogSafe.value(bootstrap());
    }
}
