package meshlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor around a real child process: a stand-in "Envoy" script (the real Envoy is in the ops tests) that
 * prints what it was started with and exits, so that the restarts, the give-up and the output forwarding can be seen
 * without waiting for Envoy.
 */
class EnvoySupervisorTest {

    @TempDir
    Path tmp;

    private Path script(String body) throws Exception {
        Path s = Files.writeString(tmp.resolve("envoy"), "#!/bin/sh\n" + body + "\n");
        assertThat(s.toFile().setExecutable(true)).isTrue();
        return s;
    }

    private EnvoySettings settings(Path binary, int maxFailures) {
        return new EnvoySettings(binary, tmp.resolve("bootstrap.json"), tmp, 2, Duration.ofMillis(100), maxFailures,
                Duration.ofMillis(10), Duration.ofMillis(40));
    }

    @Test
    void anEnvoyThatKeepsExitingIsRestartedThenGivenUpOnWithItsExitCode() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Path envoy = script("echo \"args $*\"\nprintf 'evil\\033[31m\\nforged line\\n'\nexit 3");
        try (EnvoySupervisor s = EnvoySupervisor.start(settings(envoy, 3), lines::add)) {
            assertThat(s.gaveUp().get(10, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(s.starts()).isEqualTo(3);
        }
        awaitLines(lines, 9);
        assertThat(lines).contains("args -c " + tmp.resolve("bootstrap.json") + " --disable-hot-restart"
                + " --concurrency 2 --drain-time-s 1 --drain-strategy immediate --admin-address-path "
                + tmp.resolve("envoy-admin-address") + " --log-level warning");
        assertThat(lines).as("control characters escaped, each line of Envoy's one line of ours")
                .contains("evil\\u001b[31m", "forged line");
    }

    @Test
    void aLongLineIsCutAndTheRestDropped() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Path envoy = script("head -c 5000 /dev/zero | tr '\\0' x; echo; echo next; exit 0");
        try (EnvoySupervisor s = EnvoySupervisor.start(settings(envoy, 1), lines::add)) {
            assertThat(s.gaveUp().get(10, TimeUnit.SECONDS)).isZero();
        }
        awaitLines(lines, 2);
        assertThat(lines.get(0)).isEqualTo("x".repeat(EnvoyOutput.MAX_LINE) + "…(+3000 chars)");
        assertThat(lines.get(1)).isEqualTo("next");
    }

    /** The output threads end when each process's pipe closes, a moment after its exit: at most 5 s. */
    private static void awaitLines(List<String> lines, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (lines.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(lines).hasSize(count);
    }

    @Test
    void closeStopsARunningEnvoyAndNothingRestartsIt() throws Exception {
        Path envoy = script("exec sleep 60");
        EnvoySupervisor s = EnvoySupervisor.start(settings(envoy, 5), line -> { });
        long pid = s.pid();
        assertThat(pid).isPositive();
        s.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        Thread.sleep(200); // longer than every backoff: a restart would have happened by now
        assertThat(s.starts()).isEqualTo(1);
        assertThat(s.pid()).isEqualTo(-1);
    }

    @Test
    void anEnvoyLeftByAKilledAgentIsStoppedBeforeTheNextStarts() throws Exception {
        // The first supervisor stands for an agent killed with SIGKILL: it never stops its Envoy (and, giving up
        // after one failure, never restarts it either).
        Path envoy = script("trap 'kill $!; exit 0' TERM\nsleep 60 &\nwait");
        EnvoySupervisor killed = EnvoySupervisor.start(settings(envoy, 1), line -> { });
        long orphan = killed.pid();
        try (EnvoySupervisor next = EnvoySupervisor.start(settings(envoy, 5), line -> { })) {
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(next.pid()).isPositive().isNotEqualTo(orphan);
            assertThat(Files.readString(tmp.resolve("envoy.pid"))).isEqualTo(String.valueOf(next.pid()));
        }
        assertThat(StaleEnvoy.startedOn(List.of("-c", "/other/bootstrap.json"), tmp.resolve("bootstrap.json")))
                .as("a process on another bootstrap is not ours").isFalse();
    }
}
