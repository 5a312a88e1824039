package meshlog.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace a test creates, joined to the host by a veth pair: the host side has {@link #hostIp()}, the
 * namespace side {@link #nsIp()} (a /30), the namespace's default route goes through the host side. Commands run
 * inside with {@code ip netns exec}. {@link #close()} stops what was started inside, then deletes the veth pair and
 * the namespace; it is safe to call after a failed start.
 */
public final class NetNs implements AutoCloseable {

    private static final long COMMAND_TIMEOUT_S = 20;

    private final String name;
    private final String hostLink;
    private final String hostIp;
    private final String nsIp;
    private final List<Process> started = new ArrayList<>();
    private boolean created;
    private boolean linked;

    private NetNs(String name, String hostLink, String hostIp, String nsIp) {
        this.name = name;
        this.hostLink = hostLink;
        this.hostIp = hostIp;
        this.nsIp = nsIp;
    }

    /**
     * Why namespaces cannot be made here, or empty when they can: not root, no {@code ip}, no {@code iptables},
     * no {@code setpriv}, or the kernel refuses a namespace.
     */
    public static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("not running as root (user " + System.getProperty("user.name") + ")");
        }
        for (String tool : new String[] {"ip", "iptables", "iptables-restore", "setpriv"}) {
            if (onPath(tool).isEmpty()) {
                return Optional.of("no " + tool + " on PATH");
            }
        }
        String probe = "mlprobe" + ProcessHandle.current().pid();
        try {
            Result r = run(List.of("ip", "netns", "add", probe));
            if (r.code != 0) {
                return Optional.of("cannot create a network namespace: " + r.output.strip());
            }
            Result nat = run(List.of("ip", "netns", "exec", probe, "iptables", "-t", "nat", "-L", "-n"));
            if (nat.code != 0) {
                return Optional.of("iptables' nat table is not usable: " + nat.output.strip());
            }
            return Optional.empty();
        } finally {
            run(List.of("ip", "netns", "del", probe));
        }
    }

    /** Skips the calling test, with one printed line saying why, when namespaces cannot be made here. */
    public static void require() {
        Optional<String> why = unavailable();
        if (why.isPresent()) {
            System.out.println("network namespace tests skipped: " + why.get());
            Assumptions.abort(why.get());
        }
    }

    /** Creates a namespace and a veth pair with addresses in {@code 10.241.<random>.0/30}. */
    public static NetNs create() {
        int id = ThreadLocalRandom.current().nextInt(1, 250);
        String tag = Long.toString(ProcessHandle.current().pid() % 100_000) + id;
        NetNs ns = new NetNs("mlns" + tag, "mlh" + tag, "10.241." + id + ".1", "10.241." + id + ".2");
        try {
            ns.must(List.of("ip", "netns", "add", ns.name));
            ns.created = true;
            ns.must(List.of("ip", "link", "add", ns.hostLink, "type", "veth", "peer", "name", "mln" + tag));
            ns.linked = true;
            ns.must(List.of("ip", "link", "set", "mln" + tag, "netns", ns.name));
            ns.must(List.of("ip", "addr", "add", ns.hostIp + "/30", "dev", ns.hostLink));
            ns.must(List.of("ip", "link", "set", ns.hostLink, "up"));
            ns.inside(List.of("ip", "addr", "add", ns.nsIp + "/30", "dev", "mln" + tag));
            ns.inside(List.of("ip", "link", "set", "mln" + tag, "up"));
            ns.inside(List.of("ip", "link", "set", "lo", "up"));
            ns.inside(List.of("ip", "route", "add", "default", "via", ns.hostIp));
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public String hostIp() {
        return hostIp;
    }

    public String nsIp() {
        return nsIp;
    }

    /** {@code ip netns exec <name>} and {@code command}: the prefix for a process started elsewhere. */
    public List<String> prefix(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(command);
        return cmd;
    }

    /** Runs {@code command} inside to its end; its output, or an exception naming it and what it printed. */
    public String inside(List<String> command) {
        return must(prefix(command));
    }

    /** Feeds {@code rules} to {@code iptables-restore --noflush} inside. */
    public void iptablesRestore(String rules) {
        try {
            Path file = Files.createTempFile("meshlog-iptables", ".rules");
            try {
                Files.writeString(file, rules);
                Result r = run(prefix(List.of("iptables-restore", "--noflush")), file);
                if (r.code != 0) {
                    throw new IllegalStateException("iptables-restore failed (" + r.code + "): " + r.output);
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code command} inside, its output to {@code log}; stopped by {@link #close()}. */
    public Process start(List<String> command, Path log) {
        try {
            Process p = new ProcessBuilder(prefix(command)).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            started.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (linked) {
            run(List.of("ip", "link", "del", hostLink)); // deletes its peer too
        }
        if (created) {
            run(List.of("ip", "netns", "del", name)); // also kills nothing: processes were stopped above
        }
    }

    private String must(List<String> command) {
        Result r = run(command);
        if (r.code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.code + "): " + r.output);
        }
        return r.output;
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> command) {
        return run(command, null);
    }

    private static Result run(List<String> command, Path input) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (input != null) {
                pb.redirectInput(input.toFile());
            }
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + COMMAND_TIMEOUT_S + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, String.valueOf(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static Optional<Path> onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Optional.of(Path.of(dir, tool));
            }
        }
        return Optional.empty();
    }
}
