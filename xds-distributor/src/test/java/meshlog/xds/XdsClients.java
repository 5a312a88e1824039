package meshlog.xds;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.xds.XdsNameResolverProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * grpc-java's own xDS client, one bootstrap per channel: {@code XdsNameResolverProvider.createForTest} with a
 * scheme of its own, never the process-wide bootstrap property, so channels (and tests) stay independent.
 */
final class XdsClients {

    private static final AtomicInteger SCHEMES = new AtomicInteger();

    private XdsClients() {
    }

    static Map<String, Object> bootstrap(String xdsAddress, String nodeId, Map<String, String> metadata) {
        Map<String, Object> server = Map.of(
                "server_uri", xdsAddress,
                "channel_creds", List.of(Map.of("type", "insecure")),
                "server_features", List.of("xds_v3"));
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", nodeId);
        node.put("metadata", Map.copyOf(metadata));
        node.put("locality", Map.of("region", metadata.getOrDefault("CLUSTER_ID", "none")));
        return Map.of("xds_servers", List.of(server), "node", node);
    }

    /** A channel to {@code xds:///svc.example:50051} resolved through the distributor at {@code xdsAddress}. */
    @SuppressWarnings("deprecation") // nameResolverFactory: the only public way to scope a resolver to one channel
    static ManagedChannel channel(String xdsAddress, String nodeId, Map<String, String> metadata) {
        String scheme = "xdstest" + SCHEMES.incrementAndGet();
        XdsNameResolverProvider resolver =
                XdsNameResolverProvider.createForTest(scheme, bootstrap(xdsAddress, nodeId, metadata));
        return Grpc.newChannelBuilder(scheme + ":///" + Mesh.SERVICE, InsecureChannelCredentials.create())
                .nameResolverFactory(resolver)
                .build();
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }

    static Map<String, String> metadata(String cluster, String namespace, String serviceAccount) {
        return Map.of("CLUSTER_ID", cluster, "NAMESPACE", namespace, "SERVICE_ACCOUNT", serviceAccount);
    }
}
