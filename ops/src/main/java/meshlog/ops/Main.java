package meshlog.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** The {@code meshlog} command line. Exit codes: 0 ok, 1 the input has errors, 2 a usage or environment problem. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(List.of(args), System.out, System.err);
        if (code != Integer.MIN_VALUE) {
            System.exit(code);
        }
    }

    /** Runs a command; {@code up} blocks until the process is asked to stop. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            args = logFormat(args);
        } catch (IllegalArgumentException e) {
            err.println("meshlog: " + e.getMessage());
            return 2;
        }
        if (args.isEmpty() || List.of("-h", "--help", "help").contains(args.get(0))) {
            out.println(Help.all());
            return args.isEmpty() ? 2 : 0;
        }
        List<String> rest = args.subList(1, args.size());
        if (Help.knows(args.get(0)) && Help.asked(rest)) {
            out.println(Help.of(args.get(0))); // before anything runs: "init --help" must not create "--help"
            return 0;
        }
        try {
            switch (args.get(0)) {
                case "init":
                    if (rest.size() != 1) {
                        throw new Flags.UsageException("init takes one directory");
                    }
                    return InitCommand.run(Path.of(rest.get(0)), out, err);
                case "up":
                    return up(UpOptions.parse(rest), err);
                case "validate":
                    return ValidateCommand.run(rest, out, err);
                case "audit":
                    return AuditCommand.run(rest, out, err);
                case "state":
                    return StateCommand.run(rest, out, err);
                case "diff":
                    return DiffCommand.run(rest, out, err);
                case "rollback":
                    return RollbackCommand.run(rest, out, err);
                case "unpin":
                    return PinCommand.unpin(rest, out);
                case "try":
                    return TryCommand.run(rest, out, err);
                case "proxy-status":
                    return ProxyStatusCommand.run(rest, out, err);
                case "proxy-config":
                    return ProxyConfigCommand.run(rest, out, err);
                case "bootstrap":
                    return BootstrapCommand.run(rest, out);
                case "kafka":
                    return KafkaCommand.run(rest, out, err);
                case "token":
                    return TokenCommand.run(rest, out, err);
                case "agent":
                    return AgentCommand.run(rest, err);
                case "git-sync":
                case "reconciler":
                case "distributor":
                case "discovery":
                case "injector":
                    return ComponentCommand.run(args.get(0), rest, err);
                case "kube-inject":
                    return KubeInjectCommand.run(rest, out, err);
                case "iptables":
                    return IptablesCommand.run(rest, out, err);
                default:
                    throw new Flags.UsageException("unknown command " + args.get(0) + " (meshlog --help lists them)");
            }
        } catch (Flags.UsageException | IllegalArgumentException e) {
            err.println("meshlog: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("meshlog: " + describe(e));
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }

    /**
     * Takes {@code --log-format text|json} (or {@code --log-format=json}) out of the arguments, wherever it is, and
     * applies it before anything logs: every command takes it, so no command's flags name it.
     */
    static List<String> logFormat(List<String> args) {
        List<String> rest = new java.util.ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--log-format")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--log-format takes text or json");
                }
                meshlog.ops.logging.LogFormat.use(meshlog.ops.logging.LogFormat.parse(args.get(++i)));
            } else if (a.startsWith("--log-format=")) {
                meshlog.ops.logging.LogFormat.use(meshlog.ops.logging.LogFormat.parse(
                        a.substring("--log-format=".length())));
            } else {
                rest.add(a);
            }
        }
        return rest;
    }

    /** The message and its causes' messages, which usually say the actual reason (address in use, timeout). */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    private static int up(UpOptions options, PrintStream err) throws IOException {
        MeshlogNode node = MeshlogNode.start(options);
        ShutdownDeadline stop = ShutdownDeadline.install(node::close, options.stopTimeout(), err);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
