package meshlog.ops;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.xds.XdsNameResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A proxyless gRPC client as users run it: grpc-java's own xDS resolver and balancer, bootstrapped to one
 * distributor and identifying itself Istio-style. Each client has its own bootstrap (a scheme of its own), so many
 * can live in one JVM.
 */
final class ProxylessClient implements AutoCloseable {

    private static final AtomicInteger SCHEMES = new AtomicInteger();

    final ManagedChannel channel;

    ProxylessClient(String distributor, String cluster, String target) {
        this(List.of(distributor), cluster, target);
    }

    ProxylessClient(List<String> distributors, String cluster, String target) {
        this(distributors, cluster, target, "demo");
    }

    /**
     * @param distributors xDS servers in order of preference: gRPC falls back to the next when one fails
     * @param namespace the client's namespace, in its node id and {@code NAMESPACE} as istio-agent writes them
     */
    @SuppressWarnings("deprecation") // nameResolverFactory is the public way to scope a resolver to one channel
    ProxylessClient(List<String> distributors, String cluster, String target, String namespace) {
        Map<String, Object> bootstrap = Map.of(
                "xds_servers", distributors.stream().map(d -> Map.of("server_uri", d,
                        "channel_creds", List.of(Map.of("type", "insecure")),
                        "server_features", List.of("xds_v3"))).toList(),
                "node", Map.of("id", "sidecar~127.0.0.1~client-" + SCHEMES.get() + "." + namespace + "~" + namespace
                                + ".svc.cluster.local",
                        "metadata", Map.of("CLUSTER_ID", cluster, "NAMESPACE", namespace, "SERVICE_ACCOUNT", "client")));
        String scheme = "xdse2e" + SCHEMES.incrementAndGet();
        channel = Grpc.newChannelBuilder(scheme + ":///" + target, InsecureChannelCredentials.create())
                .nameResolverFactory(XdsNameResolverProvider.createForTest(scheme, bootstrap)).build();
    }

    /** A client with a bootstrap of its own, such as the one {@code meshlog agent --grpc-output} writes. */
    @SuppressWarnings("deprecation")
    ProxylessClient(Map<String, ?> bootstrap, String target) {
        String scheme = "xdse2e" + SCHEMES.incrementAndGet();
        channel = Grpc.newChannelBuilder(scheme + ":///" + target, InsecureChannelCredentials.create())
                .nameResolverFactory(XdsNameResolverProvider.createForTest(scheme, bootstrap)).build();
    }

    /** How many of {@code n} calls each version answered. */
    Map<String, Integer> spread(int n) {
        return EchoBackends.spread(channel, n);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
