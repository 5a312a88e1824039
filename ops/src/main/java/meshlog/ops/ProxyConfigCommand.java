package meshlog.ops;

import meshlog.configstore.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.xdscheck.SnapshotCheck;
import meshlog.reconciler.translate.MeshTranslator;
import meshlog.xdscheck.TypeUrls;
import meshlog.reconciler.xds.XdsJson;
import meshlog.reconciler.xds.XdsResources;

/**
 * {@code meshlog proxy-config PATH... --cluster NAME --node-id ID [--labels k=v,...] [--mode sidecar|grpc]
 * [--interception REDIRECT|NONE] [--type listeners|routes|clusters|endpoints|all] [-o json|yaml]}: the xDS a proxy
 * would receive from the config in PATH, computed offline by the reconciler's own translation, under the id of its
 * scope ({@code scope: grpc~<ns>} for {@code --mode grpc}, {@code sidecar~...}). Exit 1 when the
 * config has errors (printed like {@code validate}), 2 on a usage error.
 */
final class ProxyConfigCommand {

    private static final Map<String, String> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("listeners", TypeUrls.LISTENER);
        TYPES.put("routes", TypeUrls.ROUTE);
        TYPES.put("clusters", TypeUrls.CLUSTER);
        TYPES.put("endpoints", TypeUrls.ENDPOINT);
    }

    private ProxyConfigCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        java.util.Set<String> flags = new java.util.HashSet<>(Set.of("cluster", "node-id", "labels", "mode",
                "interception", "type", "o", "output"));
        flags.addAll(AdminClient.FLAGS);
        Flags f = Flags.parse(args, flags, Set.of("live"));
        if (f.bool("live")) {
            return live(f, out, err);
        }
        if (f.has("admin") || f.has("admin-token-file")) {
            throw new Flags.UsageException("--admin and --admin-token-file are for --live");
        }
        if (f.positional().isEmpty()) {
            throw new Flags.UsageException("proxy-config needs at least one file or directory");
        }
        ProxyScope scope = scope(f);
        String type = type(f);
        String format = format(f);
        List<java.nio.file.Path> roots = LocalTree.existing(f.positional(), "proxy-config", err);
        if (roots == null) {
            return 2;
        }
        // Read and judged exactly as validate and git-sync read a tree (links not followed, the same limits).
        CompiledConfig compiled = LocalTree.read(roots, meshlog.gitsync.TreeLimits.DEFAULTS).compile();
        if (compiled.hasErrors()) {
            compiled.errors().forEach(d -> err.println(d.format()));
            return 1;
        }
        List<MeshResource> resources = compiled.resources().stream().map(p -> p.resource()).toList();
        Map<String, Map<String, byte[]>> xds = XdsResources.build(
                MeshTranslator.translate(resources, BootstrapCommand.required(f, "cluster"), scope));
        List<String> problems = SnapshotCheck.problems(xds);
        if (!problems.isEmpty()) {
            err.println("meshlog proxy-config: internal error, the result is inconsistent: " + problems);
            return 2;
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode result = json.createObjectNode();
        // The scope id the distributor files this proxy under, as /api/status shows it: which snapshot it is served.
        result.put("scope", scope.id());
        for (Map.Entry<String, String> t : TYPES.entrySet()) {
            if (type.equals("all") || type.equals(t.getKey())) {
                ArrayNode items = result.putArray(t.getKey());
                for (byte[] bytes : xds.getOrDefault(t.getValue(), Map.of()).values()) {
                    items.add(json.readTree(XdsJson.print(t.getValue(), bytes)));
                }
            }
        }
        out.print(format.equals("json") ? json.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n"
                : new YAMLMapper().writeValueAsString((JsonNode) result));
        return 0;
    }

    /**
     * {@code proxy-config --live NODE_ID}: what that connected proxy is served now, from the admin server whose
     * distributor holds its stream. Exit 1 when none does.
     */
    private static int live(Flags f, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        if (f.positional().size() != 1) {
            throw new Flags.UsageException("proxy-config --live takes one node id (meshlog proxy-status lists them)");
        }
        for (String offline : List.of("cluster", "node-id", "labels", "mode", "interception")) {
            if (f.has(offline)) {
                throw new Flags.UsageException("--" + offline + " is for the offline proxy-config; --live asks the"
                        + " distributor what the proxy is served");
            }
        }
        String type = type(f);
        String format = format(f);
        String node = f.positional().get(0);
        AdminClient admins = AdminClient.of(f);
        for (String admin : admins.admins()) {
            java.net.http.HttpResponse<String> res;
            try {
                res = admins.get(admin, "/api/proxy-config?id=" + AdminClient.encode(node) + "&type=" + type);
            } catch (IOException e) {
                err.println("meshlog: admin server " + LogSafe.value(admin) + " cannot be read: " + Main.describe(e));
                return 2;
            }
            if (res.statusCode() == 200) {
                JsonNode config = new ObjectMapper().readTree(res.body());
                out.print(format.equals("json") ? res.body().strip() + "\n"
                        : new YAMLMapper().writeValueAsString(config));
                return 0;
            }
            if (res.statusCode() != 404) {
                err.println("meshlog: admin server " + LogSafe.value(admin) + ": HTTP " + res.statusCode() + ": "
                        + LogSafe.value(res.body().strip(), 200));
                return 2;
            }
        }
        err.println("meshlog: no proxy " + LogSafe.value(node, 200) + " is connected to " + String.join(", ",
                admins.admins()) + " (meshlog proxy-status lists the connected ones)");
        return 1;
    }

    private static String type(Flags f) {
        String type = f.get("type", "all");
        if (!type.equals("all") && !TYPES.containsKey(type)) {
            throw new Flags.UsageException("--type takes listeners, routes, clusters, endpoints or all");
        }
        return type;
    }

    private static String format(Flags f) {
        String format = f.get("o", f.get("output", "yaml"));
        if (!format.equals("yaml") && !format.equals("json")) {
            throw new Flags.UsageException("-o takes json or yaml");
        }
        return format;
    }

    private static ProxyScope scope(Flags f) {
        SidecarNodeId id = SidecarNodeId.parse(BootstrapCommand.required(f, "node-id"));
        String mode = f.get("mode", id.type().equals("router") ? "router" : "sidecar").toLowerCase(Locale.ROOT);
        if (mode.equals("grpc")) {
            // The client's namespace, from its node id as istio-agent writes a gRPC bootstrap's: short names
            // (xds:///reviews:9080) resolve in it. gRPC scopes have no labels and no capture.
            if (f.has("labels") || f.has("interception")) {
                throw new Flags.UsageException("--labels and --interception are for --mode sidecar; a proxyless gRPC"
                        + " client's scope is its namespace");
            }
            return ProxyScope.grpc(id.namespace());
        }
        if (!mode.equals("sidecar")) {
            throw new Flags.UsageException("--mode takes sidecar or grpc (gateways are not served yet), got \""
                    + LogSafe.value(mode) + "\"");
        }
        String interception = f.get("interception", "REDIRECT").toUpperCase(Locale.ROOT);
        try {
            return ProxyScope.sidecar(id.namespace(), Labels.parse(f.get("labels", "")),
                    ProxyScope.Interception.valueOf(interception));
        } catch (IllegalArgumentException e) {
            throw new Flags.UsageException("--interception takes REDIRECT or NONE, got \""
                    + LogSafe.value(interception) + "\"");
        }
    }
}
