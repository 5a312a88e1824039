package meshlog.ops;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import meshlog.configstore.kafka.Topics;

/**
 * {@code meshlog kafka}: the embedded single-node KRaft broker alone, so the components can be run as separate
 * processes on one machine. For trying and tests, not production (one node, no replication, PLAINTEXT on loopback).
 */
final class KafkaCommand {

    private KafkaCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws java.io.IOException {
        Flags f = Flags.parse(args, Set.of("data-dir", "port", "stop-timeout"), Set.of());
        if (!f.positional().isEmpty()) {
            throw new Flags.UsageException("unexpected argument " + f.positional().get(0));
        }
        Path dataDir = Path.of(f.get("data-dir", ".meshlog-kafka"));
        int port = UpOptions.port(f, "port", 9092);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), port);
        AutoCloseable address;
        try {
            Topics.ensure(broker.bootstrapServers());
            address = LogSource.publishAddress(dataDir, broker.bootstrapServers());
        } catch (RuntimeException | java.io.IOException e) {
            broker.close();
            throw e;
        }
        // The one line a script waits for; the components take it as --kafka.
        out.println("kafka at " + broker.bootstrapServers() + " data=" + dataDir.resolve("kafka"));
        out.flush();
        ShutdownDeadline stop = ShutdownDeadline.install(() -> {
            try {
                address.close();
            } catch (Exception ignored) {
                // the address file is a convenience; the broker must still stop
            }
            broker.close();
        }, f.duration("stop-timeout", UpOptions.STOP_TIMEOUT), err);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
