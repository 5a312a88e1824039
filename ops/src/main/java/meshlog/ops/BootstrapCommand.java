package meshlog.ops;

import meshlog.configstore.LogSafe;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code meshlog bootstrap --xds HOST:PORT --cluster NAME --node-id ID [--labels k=v,...] [--service-account SA]
 * [--interception REDIRECT|NONE] [--admin-port P] [--sotw]}: prints an Envoy sidecar bootstrap
 * ({@link EnvoyBootstrap}), so {@code envoy -c} of it joins the mesh.
 */
final class BootstrapCommand {

    private BootstrapCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        Flags f = Flags.parse(args, Set.of("xds", "cluster", "node-id", "labels", "service-account", "interception",
                "admin-port"), Set.of("sotw"));
        XdsAddress xds = XdsAddress.parse(required(f, "xds"));
        String interception = f.get("interception", "REDIRECT").toUpperCase(java.util.Locale.ROOT);
        if (!interception.equals("REDIRECT") && !interception.equals("NONE")) {
            throw new Flags.UsageException("--interception takes REDIRECT or NONE, got \""
                    + LogSafe.value(interception) + "\"");
        }
        EnvoyBootstrap bootstrap = new EnvoyBootstrap(xds.host(), xds.port(), required(f, "cluster"),
                required(f, "node-id"), Labels.parse(f.get("labels", "")), f.get("service-account", "default"),
                interception, XdsAddress.port(f.get("admin-port", "15000"), "--admin-port"), f.has("sotw"));
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
