package meshlog.kafkaembedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, broker and controller in one) running inside this JVM, listening on 127.0.0.1 only:
 * for tests and for {@code meshlog up}'s all-in-one mode. It is the one place that touches Kafka's internal server
 * API ({@code kafka.server.KafkaRaftServer}); everything else in meshlog talks to it as a client.
 *
 * <p>The data directory is formatted on first use and reused afterwards, so a broker restarted on the same
 * directory keeps its log. With port 0 a restart reuses the previous start's ports when they are still free (so
 * running clients reconnect), and picks new ones otherwise: take the address from {@link #bootstrapServers()}.
 *
 * <p>Internal topics are sized for one node on a small machine: replication factor 1, one partition for the
 * offsets and transaction-state topics, two network and I/O threads.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final String PORTS_FILE = "meshlog-broker-ports.properties";

    /**
     * A second client listener, SASL_SSL with SCRAM-SHA-256, as a production Kafka is reached: for testing
     * {@code --kafka-config}. The PLAINTEXT listener stays (the broker's own and meshlog's probe use it).
     *
     * @param certificateChainPem the listener's certificate chain (PEM), its SAN naming 127.0.0.1
     * @param privateKeyPem its key, unencrypted PKCS#8 PEM
     * @param scramUsers SCRAM-SHA-256 users and passwords; written when the storage is formatted, so only a new
     *                   data dir gets them
     */
    public record SecureListener(String certificateChainPem, String privateKeyPem, Map<String, String> scramUsers) {
        public SecureListener {
            scramUsers = Map.copyOf(scramUsers);
        }

        @Override
        public String toString() {
            return "SecureListener[users=" + new java.util.TreeSet<>(scramUsers.keySet()) + "]"; // no key, no passwords
        }
    }

    private final KafkaRaftServer server;
    private final String bootstrap;
    private final String secureBootstrap;
    private final DataDirLock lock;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrap, String secureBootstrap, DataDirLock lock) {
        this.lock = lock;
        this.server = server;
        this.bootstrap = bootstrap;
        this.secureBootstrap = secureBootstrap;
    }

    /**
     * Starts a broker on {@code dataDir} (created if missing; formatted unless it already holds a log) and returns
     * once it answers client requests.
     *
     * @param port the client port on 127.0.0.1; 0 reuses the ports of the last start on {@code dataDir} if they
     *             are free, else picks free ports (with a given port, the controller listens on {@code port + 1})
     * @throws IllegalStateException if the broker does not become ready within 30 s
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, null);
    }

    /** Like {@link #start(Path, int)}, with a SASL_SSL listener on a free port when {@code secure} is not null. */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, SecureListener secure) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data dir " + dataDir, e);
        }
        DataDirLock lock = DataDirLock.acquire(dataDir);
        try {
            return start(dataDir, port, secure, lock, t0);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedKafkaBroker start(Path dataDir, int port, SecureListener secure, DataDirLock lock,
                                             long t0) {
        int[] ports = port != 0 ? new int[] {port, port + 1} : previousPorts(dataDir);
        if (ports == null) {
            int b = freePort();
            int c = freePort();
            ports = new int[] {b, c != b ? c : freePort()};
        }
        int brokerPort = ports[0];
        int controllerPort = ports[1];
        Properties props = serverProperties(dataDir, brokerPort, controllerPort);
        String secureBootstrap = null;
        if (secure != null) {
            int securePort = freePort();
            secureBootstrap = LOOPBACK + ":" + securePort;
            addSecureListener(props, securePort, secure);
        }
        boolean formatted = formatOnce(dataDir, controllerPort, secure);
        rememberPorts(dataDir, brokerPort, controllerPort);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        String bootstrap = LOOPBACK + ":" + brokerPort;
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, bootstrap, secureBootstrap, lock);
        try {
            server.startup();
            awaitReady(bootstrap);
        } catch (RuntimeException e) {
            try {
                broker.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        LOG.info("kafka broker started bootstrap={} dir={} formatted={} in {} ms", bootstrap, dataDir, formatted,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return broker;
    }

    /** The address clients connect to, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return bootstrap;
    }

    /** The SASL_SSL listener's address, or null when started without one. */
    public String secureBootstrapServers() {
        return secureBootstrap;
    }

    /** Stops the broker and waits for its threads to end; the data directory is kept. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            lock.close();
        }
        LOG.info("kafka broker stopped bootstrap={} in {} ms", bootstrap,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static Properties serverProperties(Path dataDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort
                        + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", dataDir.toAbsolutePath().toString()),
                Map.entry("metadata.log.dir", dataDir.toAbsolutePath().toString()),
                // Without RF 1 / min ISR 1 on one node, initTransactions waits for replicas that never come.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // After kill -9 the restarted controller sees the broker's old registration as alive and refuses its
                // new one until that session times out (default 9 s, about 10-15 s of a restart measured on a busy
                // 2-core machine). Broker and controller share this process: a short session costs nothing.
                Map.entry("broker.session.timeout.ms", "1500"),
                Map.entry("broker.heartbeat.interval.ms", "500"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "2"),
                Map.entry("background.threads", "2"),
                Map.entry("num.replica.fetchers", "1"),
                Map.entry("num.recovery.threads.per.data.dir", "1"),
                Map.entry("log.cleaner.threads", "1"),
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024))));
        return p;
    }

    private static void addSecureListener(Properties p, int port, SecureListener secure) {
        String l = "SASL_SSL://" + LOOPBACK + ":" + port;
        p.put("listeners", p.getProperty("listeners") + "," + l);
        p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + l);
        p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
        p.put("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name.sasl_ssl.ssl.keystore.type", "PEM");
        p.put("listener.name.sasl_ssl.ssl.keystore.certificate.chain", secure.certificateChainPem());
        p.put("listener.name.sasl_ssl.ssl.keystore.key", secure.privateKeyPem());
    }

    /** Formats the storage unless a previous run did; returns whether it formatted. */
    private static boolean formatOnce(Path dataDir, int controllerPort, SecureListener secure) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return false;
        }
        String dir = dataDir.toAbsolutePath().toString();
        try {
            new Formatter()
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString()) // stored in meta.properties, reused on restart
                    .setNodeId(NODE_ID)
                    .addDirectory(dir)
                    .setMetadataLogDirectory(dir)
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setScramArguments(secure == null ? java.util.List.of() : secure.scramUsers().entrySet().stream()
                            .map(u -> "SCRAM-SHA-256=[name=" + u.getKey() + ",password=" + u.getValue() + "]")
                            .toList())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dataDir + " (controller port "
                    + controllerPort + "): " + e.getMessage(), e);
        }
        return true;
    }

    private static void awaitReady(String bootstrap) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "client.id", "meshlog-broker-probe"))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) READY_TIMEOUT.toMillis()))
                    .nodes().get(READY_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka broker at " + bootstrap + " not ready within " + READY_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka at " + bootstrap, e);
        }
    }

    /** The ports of the last start on {@code dataDir}, if there was one and both are free now; else null. */
    private static int[] previousPorts(Path dataDir) {
        Path file = dataDir.resolve(PORTS_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
            int[] ports = {Integer.parseInt(p.getProperty("broker")), Integer.parseInt(p.getProperty("controller"))};
            return free(ports[0]) && free(ports[1]) ? ports : null;
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable {}: {}", file, e.toString());
            return null;
        }
    }

    private static void rememberPorts(Path dataDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("broker", String.valueOf(brokerPort));
        p.setProperty("controller", String.valueOf(controllerPort));
        try (var out = Files.newOutputStream(dataDir.resolve(PORTS_FILE))) {
            p.store(out, "ports of the last start, reused by the next start with port 0 when free");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDir.resolve(PORTS_FILE), e);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
        }
    }
}
