package meshlog.ops;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.ca.CertificateAuthority;
import meshlog.configstore.status.ProxyStatus;
import meshlog.testkit.EnvoyProcess;
import meshlog.xds.XdsDistributor;

/**
 * Several real Envoy sidecars of {@link EnvoySidecar#SCOPE} and the distributors they are fed by, for tests of what
 * delta and state-of-the-world proxies and several replicas agree on. What it starts, {@link #close} stops.
 */
final class SidecarFleet implements AutoCloseable {

    private final Path dir;
    private final CertificateAuthority ca;
    private final List<AutoCloseable> started = new java.util.ArrayList<>();

    SidecarFleet(Path dir) {
        this.dir = dir;
        this.ca = CertificateAuthority.open(dir.resolve("ca"), "cluster.local", Clock.systemUTC());
    }

    /** A distributor of {@link EnvoySidecar#CLUSTER} on 127.0.0.1 (every replica shares the one CA). */
    XdsDistributor distributor() {
        // Sidecars without meshlog agent get their secrets over plaintext: --insecure-plaintext, on purpose.
        XdsDistributor d = XdsDistributor.start(EnvoySidecar.CLUSTER, "127.0.0.1", 0, new CaIdentityIssuer(ca), s -> {
        }, meshlog.xds.grpc.EdgeLimits.DEFAULTS, meshlog.xds.grpc.XdsTransport.insecure());
        started.add(d);
        return d;
    }

    /** Node id of pod {@code pod} in namespace demo. */
    static String nodeId(String pod) {
        return "sidecar~127.0.0.1~" + pod + ".demo~demo.svc.cluster.local";
    }

    /**
     * An Envoy started from {@code meshlog bootstrap}'s bootstrap (delta unless {@code sotw}) whose {@code xds-grpc}
     * cluster lists every one of {@code replicas}: Envoy's ADS stream goes to one, and to another when that one goes.
     */
    EnvoyProcess envoy(String pod, boolean sotw, XdsDistributor... replicas) {
        return envoy(pod, EnvoySidecar.SCOPE.labels(), "client", sotw, replicas);
    }

    /** Like {@link #envoy(String, boolean, XdsDistributor...)}, for a workload of these labels and service account. */
    EnvoyProcess envoy(String pod, Map<String, String> labels, String serviceAccount, boolean sotw,
                       XdsDistributor... replicas) {
        EnvoyBootstrap bootstrap = new EnvoyBootstrap("127.0.0.1", replicas[0].port(), EnvoySidecar.CLUSTER,
                nodeId(pod), labels, serviceAccount, "NONE", 0, sotw);
        ObjectNode json = bootstrap.json();
        ArrayNode endpoints = (ArrayNode) json.at("/static_resources/clusters/0/load_assignment/endpoints/0/lb_endpoints");
        for (int i = 1; i < replicas.length; i++) {
            endpoints.addObject().putObject("endpoint").putObject("address").putObject("socket_address")
                    .put("address", "127.0.0.1").put("port_value", replicas[i].port());
        }
        EnvoyProcess envoy = EnvoyProcess.start(json.toPrettyString(), dir.resolve(pod));
        started.add(envoy);
        return envoy;
    }

    /** The status of {@code pod} while connected to {@code replica}, or null. */
    static ProxyStatus connected(XdsDistributor replica, String pod) {
        return replica.proxies().stream().filter(p -> p.proxyId().equals(nodeId(pod)) && p.connected())
                .findFirst().orElse(null);
    }

    /** The versions {@code pod} has ACKed per type on {@code replica} (empty when not connected there). */
    static Map<String, String> acked(XdsDistributor replica, String pod) {
        ProxyStatus status = connected(replica, pod);
        Map<String, String> acked = new TreeMap<>();
        if (status != null) {
            status.types().forEach((type, s) -> acked.put(type, s.ackedVersion()));
        }
        return acked;
    }

    /** Waits until {@code pod} has ACKed, on {@code replica}, every type at the version served for its scope. */
    static void awaitInSync(XdsDistributor replica, String pod, Duration atMost) {
        awaitInSync(replica, pod, EnvoySidecar.SCOPE, atMost);
    }

    /** Waits until {@code pod}, of {@code scope}, has ACKed on {@code replica} every type served for the scope. */
    static void awaitInSync(XdsDistributor replica, String pod, meshlog.configstore.scope.ProxyScope scope,
                            Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
                Map<String, String> want = replica.currentTypeVersions(scope.id());
                return !want.isEmpty() && acked(replica, pod).entrySet().containsAll(want.entrySet());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(pod + " not in sync on " + replica.address() + " within " + atMost + ": served "
                    + replica.currentTypeVersions(scope.id()) + ", acked " + acked(replica, pod)
                    + ", responses sent " + replica.responsesSent() + ", resources sent " + replica.resourcesSent(), e);
        }
    }

    /**
     * What Envoy's {@code /config_dump} says it holds: per type URL, each resource's name and the version Envoy
     * gives it, and under the name {@code ""} the type's version ({@code version_info} of CDS and LDS). Envoy shows
     * no version for an assignment: EDS maps each cluster to its endpoints instead ({@code ip:port}, sorted).
     */
    static Map<String, Map<String, String>> held(EnvoyProcess envoy) {
        Map<String, Map<String, String>> held = new TreeMap<>();
        for (JsonNode config : envoy.configDump().path("configs")) {
            String type = config.path("@type").asText();
            if (type.endsWith(".ClustersConfigDump")) {
                Map<String, String> m = typeMap(held, meshlog.xdscheck.TypeUrls.CLUSTER, config);
                config.path("dynamic_active_clusters").forEach(c ->
                        m.put(c.at("/cluster/name").asText(), c.path("version_info").asText()));
            } else if (type.endsWith(".ListenersConfigDump")) {
                Map<String, String> m = typeMap(held, meshlog.xdscheck.TypeUrls.LISTENER, config);
                config.path("dynamic_listeners").forEach(l ->
                        m.put(l.path("name").asText(), l.at("/active_state/version_info").asText()));
            } else if (type.endsWith(".RoutesConfigDump")) {
                Map<String, String> m = typeMap(held, meshlog.xdscheck.TypeUrls.ROUTE, null);
                config.path("dynamic_route_configs").forEach(r ->
                        m.put(r.at("/route_config/name").asText(), r.path("version_info").asText()));
            } else if (type.endsWith(".EndpointsConfigDump")) {
                Map<String, String> m = typeMap(held, meshlog.xdscheck.TypeUrls.ENDPOINT, null);
                config.path("dynamic_endpoint_configs").forEach(e ->
                        m.put(e.at("/endpoint_config/cluster_name").asText(), addresses(e.path("endpoint_config"))));
            }
        }
        return held;
    }

    private static String addresses(JsonNode assignment) {
        List<String> out = new java.util.ArrayList<>();
        assignment.path("endpoints").forEach(locality -> locality.path("lb_endpoints").forEach(e -> {
            JsonNode socket = e.at("/endpoint/address/socket_address");
            out.add(socket.path("address").asText() + ":" + socket.path("port_value").asText());
        }));
        return String.join(",", out.stream().sorted().toList());
    }

    private static Map<String, String> typeMap(Map<String, Map<String, String>> held, String type, JsonNode config) {
        Map<String, String> m = held.computeIfAbsent(type, t -> new TreeMap<>());
        if (config != null) {
            m.put("", config.path("version_info").asText());
        }
        return m;
    }

    /** Stops every Envoy and distributor started, the last first, whatever fails. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // Keep stopping the others.
            }
        }
    }
}
