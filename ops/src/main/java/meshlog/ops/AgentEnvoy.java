package meshlog.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import meshlog.agent.Agent;
import meshlog.agent.EnvoySettings;
import meshlog.agent.EnvoySupervisor;
import meshlog.agent.StatusServer;

/**
 * The Envoy half of {@code meshlog agent --envoy}, beside a started {@link Agent}: writes the bootstrap into the
 * work directory, starts Envoy under an {@link EnvoySupervisor} (its lines to {@code err} prefixed {@code envoy: }),
 * and serves readiness on the status port. {@link #close()} is SIGTERM's path: readiness turns 503, inbound
 * listeners drain, Envoy is stopped, and only then the status port closes. Closing twice is harmless.
 */
final class AgentEnvoy implements AutoCloseable {

    static final String BOOTSTRAP_FILE = "envoy-bootstrap.json";
    static final String PREFIX = "envoy: ";

    private final EnvoySupervisor envoy;
    private final StatusServer status;
    private final AtomicBoolean draining;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AgentEnvoy(EnvoySupervisor envoy, StatusServer status, AtomicBoolean draining) {
        this.envoy = envoy;
        this.status = status;
        this.draining = draining;
    }

    static AgentEnvoy start(AgentEnvoyOptions o, Agent agent, PrintStream err) throws IOException {
        Files.createDirectories(o.workDir());
        Path bootstrap = o.workDir().resolve(BOOTSTRAP_FILE);
        Files.writeString(bootstrap, o.bootstrap().text());
        EnvoySettings settings = new EnvoySettings(o.binary(), bootstrap, o.workDir(), 2, EnvoySettings.DEFAULT_DRAIN,
                EnvoySettings.DEFAULT_MAX_FAILURES, EnvoySettings.DEFAULT_FIRST_BACKOFF,
                EnvoySettings.DEFAULT_MAX_BACKOFF);
        AtomicBoolean draining = new AtomicBoolean();
        EnvoySupervisor envoy = EnvoySupervisor.start(settings, line -> err.println(PREFIX + line));
        try {
            StatusServer status = StatusServer.start(o.statusBind(), o.statusPort(), agent, envoy, draining::get,
                    Clock.systemUTC());
            err.println("meshlog agent: Envoy " + o.binary() + " (pid " + envoy.pid() + ") on " + bootstrap
                    + "; readiness on http://" + o.statusBind() + ":" + status.port() + StatusServer.READY_PATH);
            return new AgentEnvoy(envoy, status, draining);
        } catch (IOException | RuntimeException e) {
            envoy.close();
            throw e;
        }
    }

    /** Completes with Envoy's last exit code when the supervisor gave up restarting it. */
    CompletableFuture<Integer> gaveUp() {
        return envoy.gaveUp();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // the shutdown hook after a give-up: done already
        }
        draining.set(true);
        try {
            envoy.drainAndStop();
        } finally {
            status.close();
        }
    }
}
