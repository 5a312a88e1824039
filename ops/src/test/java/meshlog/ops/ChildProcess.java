package meshlog.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code meshlog} command in a JVM of its own, as an operator runs it: output to files, stopped with SIGTERM or
 * killed with SIGKILL ({@link #kill9}), never left running after the test.
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;
    private volatile boolean paused;

    private ChildProcess(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code meshlog args...} with a small heap, so several fit on a 2-core CI machine. */
    static ChildProcess start(Path dir, String name, String heap, String... args) throws IOException {
        return start(dir, name, heap, List.of(), args);
    }

    /** As above, with {@code jvmOptions} (system properties, test hooks) before the main class. */
    static ChildProcess start(Path dir, String name, String heap, List<String> jvmOptions, String... args)
            throws IOException {
        return start(dir, name, heap, jvmOptions, java.util.Map.of(), args);
    }

    /** As above, with {@code env} added to the environment (what a pod's downward API would set). */
    static ChildProcess start(Path dir, String name, String heap, List<String> jvmOptions,
                              java.util.Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(dir);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(jvmOptions);
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        return new ChildProcess(name, p, out, err);
    }

    /** Waits for a line of its stdout or stderr matching {@code regex}; returns its first group. */
    String await(String regex, Duration within) throws IOException, InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (Path f : List.of(out, err)) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return m.groupCount() > 0 ? m.group(1) : line;
                    }
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited " + process.exitValue() + " before printing /"
                        + regex + "/:\n" + tail());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not print /" + regex + "/ within " + within + ":\n" + tail());
    }

    /** The admin port a component command printed in its start line ({@code --admin-port 0} picks a free one). */
    String adminPort(Duration within) throws IOException, InterruptedException {
        return await("admin http://127\\.0\\.0\\.1:(\\d+)/readyz", within);
    }

    /** The last lines it wrote, for a failure message. */
    String tail() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(out, StandardCharsets.UTF_8));
        lines.addAll(Files.readAllLines(err, StandardCharsets.UTF_8));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process stays, frozen (no heartbeat, no write), as in a long GC pause or a network cut. */
    void pause() throws IOException, InterruptedException {
        signal("-STOP");
        paused = true;
    }

    /** SIGCONT: it runs on from where it was stopped, not knowing time has passed. */
    void resume() throws IOException, InterruptedException {
        signal("-CONT");
        paused = false;
    }

    boolean paused() {
        return paused;
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The process itself, for its children and its exit code. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Its exit code, once it has exited. */
    int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 15 s. */
    @Override
    public void close() throws InterruptedException {
        if (paused) {
            process.destroyForcibly(); // a stopped process cannot handle SIGTERM
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
