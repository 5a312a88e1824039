package meshlog.ops;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import meshlog.ca.CertificateAuthority;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.model.MeshResource;
import java.util.Set;
import java.util.function.UnaryOperator;
import meshlog.xdscheck.TypeUrls;
import meshlog.xdscheck.SnapshotCheck;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.ir.VirtualOutboundIr;
import meshlog.reconciler.translate.MeshTranslator;
import meshlog.reconciler.xds.XdsResources;
import meshlog.testkit.EnvoyProcess;
import meshlog.xds.XdsDistributor;

/**
 * A real Envoy sidecar (interception NONE, so its outbound listeners bind 127.0.0.1 themselves) connected to a real
 * distributor, which serves it the reconciler's sidecar translation of some Istio YAML. {@link #serve} changes the
 * config without restarting anything.
 */
final class EnvoySidecar implements AutoCloseable {

    static final String CLUSTER = "east";
    static final String NODE_ID = "sidecar~127.0.0.1~client-1.demo~demo.svc.cluster.local";
    /** The scope a distributor puts that sidecar in: its namespace, interception mode and labels. */
    static final ProxyScope SCOPE = ProxyScope.sidecar("demo", Map.of("app", "client"),
            ProxyScope.Interception.NONE);

    /** The same sidecar with iptables capture (REDIRECT), as istio-proxy runs by default. */
    static final ProxyScope CAPTURED = ProxyScope.sidecar("demo", Map.of("app", "client"),
            ProxyScope.Interception.REDIRECT);

    private final XdsDistributor distributor;
    private final EnvoyProcess envoy;
    private final ProxyScope scope;
    private final String nodeId;
    private final UnaryOperator<MeshIr> adjust;

    private EnvoySidecar(XdsDistributor distributor, EnvoyProcess envoy, ProxyScope scope, String nodeId,
                         UnaryOperator<MeshIr> adjust) {
        this.distributor = distributor;
        this.envoy = envoy;
        this.scope = scope;
        this.nodeId = nodeId;
        this.adjust = adjust;
    }

    /** How the Envoy of {@link #start(Path, String, Spec)} is started and what it is. */
    record Spec(String distributorHost, String nodeId, ProxyScope scope,
                java.util.function.Function<EnvoyBootstrap, String> bootstrap, List<String> envoyPrefix) {
    }

    /** Starts the distributor serving {@code yaml}, then Envoy; returns once Envoy holds that config. */
    static EnvoySidecar start(Path dir, String yaml, boolean sotw) {
        return start(dir, yaml, spec(SCOPE, sotw), ir -> ir);
    }

    /** The default sidecar of {@code scope}: node {@link #NODE_ID}, distributor and Envoy on 127.0.0.1. */
    private static Spec spec(ProxyScope scope, boolean sotw) {
        return spec(scope, NODE_ID, sotw);
    }

    /** The sidecar of {@code scope} with node id {@code nodeId} (its namespace must be the scope's). */
    static Spec spec(ProxyScope scope, String nodeId, boolean sotw) {
        return new Spec("127.0.0.1", nodeId, scope, b -> new EnvoyBootstrap(b.xdsHost(), b.xdsPort(), b.cluster(),
                b.nodeId(), b.labels(), b.serviceAccount(), b.interception(), 0, sotw).text(), List.of());
    }

    /**
     * Starts a distributor on {@code spec.distributorHost} serving {@code yaml} to {@code spec.scope}, then Envoy
     * (node {@code spec.nodeId}, bootstrap text made from the default one by {@code spec.bootstrap}, its command
     * after {@code spec.envoyPrefix}); returns once Envoy holds that config.
     */
    static EnvoySidecar start(Path dir, String yaml, Spec spec) {
        return start(dir, yaml, spec, ir -> ir);
    }

    /**
     * A sidecar of scope {@link #CAPTURED}, with {@code virtualOutbound} moved from 15001 to a free port (so runs in
     * parallel do not collide). Nothing redirects traffic on this machine: it shows what Envoy accepts of the
     * captured layout, not where captured traffic goes.
     */
    static EnvoySidecar startCaptured(Path dir, String yaml) {
        int port = freePort();
        return start(dir, yaml, spec(CAPTURED, false), ir -> new MeshIr(ir.listeners().stream()
                .map(l -> l instanceof VirtualOutboundIr v ? new VirtualOutboundIr(v.name(), port,
                        v.fallbackCluster()) : l).toList(), ir.routeTables(), ir.clusters(), ir.notes()));
    }

    /** Like {@link #start(Path, String, Spec)}, serving {@code adjust} of each translation (the test's own change). */
    static EnvoySidecar start(Path dir, String yaml, Spec spec, UnaryOperator<MeshIr> adjust) {
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("ca"), "cluster.local", Clock.systemUTC());
        // Envoy here runs without meshlog agent, so the secrets come over plaintext: --insecure-plaintext, on purpose.
        XdsDistributor distributor = XdsDistributor.start(CLUSTER, spec.distributorHost(), 0,
                new CaIdentityIssuer(ca), s -> {
                }, meshlog.xds.grpc.EdgeLimits.DEFAULTS, meshlog.xds.grpc.XdsTransport.insecure());
        EnvoySidecar sidecar = null;
        try {
            distributor.accept(snapshot(yaml, spec.scope(), adjust));
            EnvoyBootstrap bootstrap = new EnvoyBootstrap(spec.distributorHost(), distributor.port(), CLUSTER,
                    spec.nodeId(), spec.scope().labels(), "client", spec.scope().interception().name(), 0, false);
            sidecar = new EnvoySidecar(distributor, EnvoyProcess.start(spec.bootstrap().apply(bootstrap),
                    dir.resolve("envoy"), spec.envoyPrefix()), spec.scope(), spec.nodeId(), adjust);
            sidecar.awaitVersion();
            return sidecar;
        } catch (RuntimeException e) {
            if (sidecar != null) {
                sidecar.close();
            } else {
                distributor.close();
            }
            throw e;
        }
    }

    /** Serves {@code yaml} instead, and waits until Envoy has it. */
    void serve(String yaml) {
        distributor.accept(snapshot(yaml, scope, adjust));
        awaitVersion();
    }

    /**
     * Serves {@code yaml} instead and waits until Envoy has ACKed its clusters and listeners, the types every Envoy
     * subscribes to by wildcard. Route configurations and assignments Envoy no longer subscribes to are not sent
     * again, so their type version may stay behind without anything being wrong; a NACK still shows in
     * {@link #nacks}.
     */
    void serveClustersAndListeners(String yaml) {
        distributor.accept(snapshot(yaml, scope, adjust));
        Set<String> wildcard = Set.of(TypeUrls.CLUSTER, TypeUrls.LISTENER);
        // Up to Envoy's 15 s EDS initial fetch timeout on top: a cluster warms before listeners are ACKed.
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<String, String> want = distributor.currentTypeVersions(scope.id());
            return distributor.proxies().stream().filter(p -> p.proxyId().equals(nodeId) && p.connected())
                    .anyMatch(p -> wildcard.stream().allMatch(t -> p.types().containsKey(t)
                            && want.get(t).equals(p.types().get(t).ackedVersion())));
        });
    }

    /** Service {@code web.demo} on {@code port} with subsets v1 and v2 at the two backends, and its routes. */
    static String webConfig(int port, int v1, int v2, String http) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: web, namespace: demo}
                spec:
                  hosts: [web.demo.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: http, protocol: HTTP}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: web, namespace: demo}
                spec:
                  host: web
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web, namespace: demo}
                spec:
                  hosts: [web]
                  http:
                %s""".formatted(port, v1, v2, http);
    }

    /** Serves {@code snapshot} as it is, without waiting for Envoy (a bad one is never ACKed). */
    void serveRaw(ScopeSnapshot snapshot) {
        distributor.accept(snapshot);
    }

    EnvoyProcess envoy() {
        return envoy;
    }

    /** The Envoy sidecar scope of {@link #NODE_ID}, translated as the reconciler does, as a distributor snapshot. */
    static ScopeSnapshot snapshot(String yaml) {
        return snapshot(yaml, SCOPE, ir -> ir);
    }

    /** {@code yaml} translated for {@code scope}, as a distributor snapshot. */
    static ScopeSnapshot snapshot(String yaml, ProxyScope scope) {
        return snapshot(yaml, scope, ir -> ir);
    }

    private static ScopeSnapshot snapshot(String yaml, ProxyScope scope, UnaryOperator<MeshIr> adjust) {
        ConfigCompiler.CompiledConfig compiled = ConfigCompiler.compile(
                Map.of("config.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
        if (compiled.hasErrors()) {
            throw new AssertionError("test config does not validate: " + compiled.errors());
        }
        List<MeshResource> resources = compiled.resources().stream().map(p -> p.resource()).toList();
        Map<String, Map<String, byte[]>> xds = XdsResources.build(adjust.apply(
                MeshTranslator.translate(resources, CLUSTER, scope)));
        List<String> problems = SnapshotCheck.problems(xds);
        if (!problems.isEmpty()) {
            throw new AssertionError("inconsistent: " + problems);
        }
        return new ScopeSnapshot(CLUSTER, scope.id(), ScopeSnapshot.versionOf(xds), "test", xds);
    }

    /** Waits until Envoy has ACKed every type of the snapshot now served; says what Envoy logged if it did not. */
    private void awaitVersion() {
        try {
            await().atMost(ackWait()).pollInterval(Duration.ofMillis(50)).until(this::inSync);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("Envoy did not ACK scope " + scope.id() + " within " + ackWait()
                    + "; served " + distributor.currentTypeVersions(scope.id()) + ", proxies "
                    + distributor.proxies() + "; its warnings:\n"
                    + String.join("\n", envoy.log().lines().filter(l -> l.contains("[warning]")
                    || l.contains("[error]")).toList()), e);
        }
    }

    /** How long Envoy may take to ACK a snapshot. */
    private static Duration ackWait() {
        return Duration.ofSeconds(20);
    }

    /** Whether the Envoy has ACKed every routing type at the versions served now. */
    boolean inSync() {
        Map<String, String> want = distributor.currentTypeVersions(scope.id());
        return distributor.proxies().stream().filter(p -> p.proxyId().equals(nodeId) && p.connected())
                .anyMatch(p -> want.entrySet().stream().allMatch(e -> p.types().containsKey(e.getKey())
                        && e.getValue().equals(p.types().get(e.getKey()).ackedVersion())));
    }

    /** NACKs this distributor has received since it started. */
    long nacks() {
        return distributor.nacksReceived();
    }

    /** The names of one kind of dynamic resource in Envoy's config_dump. */
    List<String> names(String dumpType, String listField, String nameField) {
        JsonNode dump = envoy.configDump();
        for (JsonNode config : dump.path("configs")) {
            if (config.path("@type").asText().endsWith("." + dumpType)) {
                return StreamSupport.stream(config.path(listField).spliterator(), false)
                        .map(n -> nameField.isEmpty() ? n : n.at(nameField))
                        .map(JsonNode::asText).sorted().toList();
            }
        }
        return List.of();
    }

    /** A port nothing listens on now, for a service port Envoy will bind. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        envoy.close();
        distributor.close();
    }
}
