package meshlog.ops;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import meshlog.ca.CertificateAuthority;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.xds.XdsDistributor;

/**
 * A real distributor serving the reconciler's proxyless gRPC translation of some Istio YAML, and a grpc-java xDS
 * client of it: the gRPC counterpart of {@link EnvoySidecar}. {@link #serve} changes the config in place and returns
 * once the client has ACKed it.
 */
final class ProxylessGrpc implements AutoCloseable {

    static final String CLUSTER = "east";
    static final String HOST = "echo.demo.svc.cluster.local";
    static final int PORT = 7070;

    private final XdsDistributor distributor;
    private final ProxylessClient client;

    private ProxylessGrpc(XdsDistributor distributor, ProxylessClient client) {
        this.distributor = distributor;
        this.client = client;
    }

    /** Starts the distributor serving {@code yaml} and a client of {@code xds:///echo.demo...:7070}. */
    static ProxylessGrpc start(Path dir, String yaml) {
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("ca"), "cluster.local", Clock.systemUTC());
        XdsDistributor distributor = XdsDistributor.start(CLUSTER, "127.0.0.1", 0, new CaIdentityIssuer(ca), s -> {
        });
        try {
            snapshots(yaml).forEach(distributor::accept);
            ProxylessClient client = new ProxylessClient(distributor.address(), CLUSTER, HOST + ":" + PORT);
            ProxylessGrpc grpc = new ProxylessGrpc(distributor, client);
            // The first call makes the channel resolve (LDS, RDS, CDS, EDS); it may fail if the config says so.
            try {
                EchoBackends.who(client.channel);
            } catch (RuntimeException expectedByFaultConfigs) {
                // the client is subscribed either way
            }
            grpc.awaitInSync();
            return grpc;
        } catch (RuntimeException e) {
            distributor.close();
            throw e;
        }
    }

    /**
     * Serves {@code yaml} instead, and waits until the client has ACKed it and had time to apply it: grpc-java
     * ACKs a resource when its xDS client has parsed it, and hands it to the channel's resolver and balancers on
     * their own executor afterwards, so a call made at the instant of the ACK may still take the old route.
     */
    void serve(String yaml) {
        snapshots(yaml).forEach(distributor::accept);
        awaitInSync();
        try {
            Thread.sleep(APPLY_AFTER_ACK.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ample for the hand-over after an ACK (a few milliseconds here); not a measurement. */
    private static final Duration APPLY_AFTER_ACK = Duration.ofMillis(300);

    /** Another client of the same distributor in namespace {@code demo}, dialing {@code xds:///<target>}. */
    ProxylessClient newClient(String target) {
        return newClient(target, "demo");
    }

    /** Another client of the same distributor, in {@code namespace}, dialing {@code xds:///<target>}. */
    ProxylessClient newClient(String target, String namespace) {
        return new ProxylessClient(java.util.List.of(distributor.address()), CLUSTER, target, namespace);
    }

    io.grpc.Channel channel() {
        return client.channel;
    }

    /** NACKs the distributor has received since it started. */
    long nacks() {
        return distributor.nacksReceived();
    }

    /**
     * Service {@code echo.demo} on {@link #PORT} (protocol GRPC) with one endpoint per backend, labelled
     * {@code version: <backend name>}, subsets for each, and the VirtualService {@code http} given.
     */
    static String echoConfig(Map<String, Integer> backends, String trafficPolicy, String http) {
        StringBuilder endpoints = new StringBuilder();
        StringBuilder subsets = new StringBuilder();
        backends.forEach((name, port) -> {
            endpoints.append("  - {address: 127.0.0.1, ports: {grpc: ").append(port).append("}, labels: {version: ")
                    .append(name).append("}}\n");
            subsets.append("  - {name: ").append(name).append(", labels: {version: ").append(name).append("}}\n");
        });
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo, namespace: demo}
                spec:
                  hosts: [%s]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: grpc, protocol: GRPC}]
                  endpoints:
                %s---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: echo, namespace: demo}
                spec:
                  host: %s
                %s  subsets:
                %s---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: echo, namespace: demo}
                spec:
                  hosts: [%s]
                  http:
                %s""".formatted(HOST, PORT, endpoints, HOST, trafficPolicy, subsets, HOST, http);
    }

    /** The namespaces whose gRPC scopes are served; a client of any other is served the namespace-less one. */
    static final java.util.List<String> NAMESPACES = java.util.List.of("demo", "other");

    /** The config's gRPC scopes (namespace-less, then {@link #NAMESPACES}), translated as the reconciler does. */
    static java.util.List<ScopeSnapshot> snapshots(String yaml) {
        java.util.List<ScopeSnapshot> out = new java.util.ArrayList<>();
        out.add(EnvoySidecar.snapshot(yaml, ProxyScope.GRPC));
        NAMESPACES.forEach(ns -> out.add(EnvoySidecar.snapshot(yaml, ProxyScope.grpc(ns))));
        return out;
    }

    /** Waits until the client has ACKed, for every type it subscribes to, the version served now. */
    private void awaitInSync() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<String, String> want = distributor.currentTypeVersions(ProxyScope.grpc("demo").id());
            return distributor.proxies().stream().filter(p -> p.connected())
                    .anyMatch(p -> p.types().size() >= 4 && p.types().entrySet().stream().allMatch(e ->
                            e.getValue().ackedVersion() != null
                                    && e.getValue().ackedVersion().equals(want.get(e.getKey()))));
        });
    }

    @Override
    public void close() {
        client.close();
        distributor.close();
    }
}
