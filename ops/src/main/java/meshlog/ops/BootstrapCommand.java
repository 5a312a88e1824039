package meshlog.ops;

import meshlog.configstore.LogSafe;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code meshlog bootstrap --xds HOST:PORT --cluster NAME --node-id ID [--labels k=v,...] [--service-account SA]
 * [--interception REDIRECT|NONE] [--admin-port P] [--sotw] [--agent-socket PATH]}: prints an Envoy sidecar
 * bootstrap ({@link EnvoyBootstrap}), so {@code envoy -c} of it joins the mesh; with {@code --agent-socket}, through
 * {@code meshlog agent} (xDS and SDS over its Unix socket; {@code --xds} is then not needed).
 */
final class BootstrapCommand {

    private BootstrapCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        Flags f = Flags.parse(args, Set.of("xds", "cluster", "node-id", "labels", "service-account", "interception",
                "admin-port", "agent-socket"), Set.of("sotw"));
        String agent = f.get("agent-socket", null);
        if (agent != null && f.has("xds")) {
            throw new Flags.UsageException("--agent-socket and --xds exclude each other: with an agent, Envoy's xDS"
                    + " goes through the agent (meshlog agent --xds names the distributor)");
        }
        XdsAddress xds = agent != null ? new XdsAddress("127.0.0.1", 1) : XdsAddress.parse(required(f, "xds"));
        String interception = f.get("interception", "REDIRECT").toUpperCase(java.util.Locale.ROOT);
        if (!interception.equals("REDIRECT") && !interception.equals("NONE")) {
            throw new Flags.UsageException("--interception takes REDIRECT or NONE, got \""
                    + LogSafe.value(interception) + "\"");
        }
        EnvoyBootstrap bootstrap = new EnvoyBootstrap(xds.host(), xds.port(), required(f, "cluster"),
                required(f, "node-id"), Labels.parse(f.get("labels", "")), f.get("service-account", "default"),
                interception, XdsAddress.port(f.get("admin-port", "15000"), "--admin-port"), f.has("sotw"),
                agent == null ? null : java.nio.file.Path.of(agent).toAbsolutePath().toString());
        out.println(bootstrap.text());
        return 0;
    }

    static String required(Flags f, String name) {
        String v = f.get(name, null);
        if (v == null || v.isBlank()) {
            throw new Flags.UsageException("--" + name + " is required");
        }
        return v;
    }
}
