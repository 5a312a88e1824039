package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SIGTERM stops a real child JVM within the stop timeout, even when closing its components never ends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownDeadlineTest {

    record Stopped(int exitCode, long millis, String stderr) {
    }

    static Stopped terminate(String mode, long timeoutMs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = Files.createTempFile("stuck-on-stop", ".err");
        Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                StuckOnStop.class.getName(), Long.toString(timeoutMs), mode)).redirectError(err.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ready");
            long t0 = System.nanoTime();
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close the streams)
            assertThat(p.waitFor(timeoutMs + 10_000, TimeUnit.MILLISECONDS)).as("exited").isTrue();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new Stopped(p.exitValue(), ms, Files.readString(err));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }

    @Test
    void aStopThatNeverEndsIsCutOffAtTheTimeout() throws Exception {
        Stopped s = terminate("stuck", 1_000);
        assertThat(s.exitCode()).isEqualTo(ShutdownDeadline.HALTED);
        assertThat(s.millis()).isBetween(1_000L, 4_000L);
        assertThat(s.stderr()).isEqualTo("meshlog: not stopped within 1000 ms of the stop signal; halting\n");
    }

    @Test
    void aStopThatEndsExitsAtOnceAsSigtermDoes() throws Exception {
        Stopped s = terminate("quick", 10_000);
        assertThat(s.exitCode()).isEqualTo(143); // 128 + SIGTERM, as the JVM exits on the signal
        assertThat(s.millis()).isLessThan(3_000L);
        assertThat(s.stderr()).isEmpty();
    }
}
