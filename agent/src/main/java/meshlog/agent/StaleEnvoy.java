package meshlog.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Envoy left running by an agent that was killed (SIGKILL, OOM) before it could stop it: it would hold the
 * admin, listener and status ports the new Envoy needs. Its pid is in the work directory's {@code envoy.pid}; it is
 * stopped only if that process is still an Envoy started on the same bootstrap file ({@code -c FILE} among its
 * arguments), never a process that merely reused the pid.
 */
final class StaleEnvoy {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.agent.envoy");
    private static final long WAIT_MILLIS = 5000;

    private StaleEnvoy() {
    }

    static void stop(Path pidFile, Path bootstrap) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).strip();
        Files.delete(pidFile);
        if (!text.matches("\\d{1,18}")) {
            return;
        }
        Optional<ProcessHandle> old = ProcessHandle.of(Long.parseLong(text)).filter(ProcessHandle::isAlive)
                .filter(p -> startedOn(p.info().arguments().map(List::of).orElse(List.of()), bootstrap));
        if (old.isEmpty()) {
            return;
        }
        ProcessHandle p = old.get();
        LOG.warn("an Envoy of a previous agent (pid {}) still runs on {}; stopping it first", p.pid(), bootstrap);
        p.destroy();
        try {
            p.onExit().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
        }
    }

    static boolean startedOn(List<String> arguments, Path bootstrap) {
        int c = arguments.indexOf("-c");
        return c >= 0 && c + 1 < arguments.size() && arguments.get(c + 1).equals(bootstrap.toString());
    }
}
