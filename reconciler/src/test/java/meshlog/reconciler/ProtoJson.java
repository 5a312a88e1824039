package meshlog.reconciler;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.reconciler.xds.TypeUrls;

/** Published resource bytes back to protobuf JSON, sorted by name: the golden files' form. */
final class ProtoJson {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder()
                    .add(HttpConnectionManager.getDescriptor())
                    .add(Router.getDescriptor())
                    .build());

    private static final Map<String, Parser<? extends Message>> PARSERS = Map.of(
            TypeUrls.LISTENER, Listener.parser(),
            TypeUrls.ROUTE, RouteConfiguration.parser(),
            TypeUrls.CLUSTER, Cluster.parser(),
            TypeUrls.ENDPOINT, ClusterLoadAssignment.parser());

    private ProtoJson() {
    }

    static Message parse(String typeUrl, byte[] bytes) {
        try {
            return PARSERS.get(typeUrl).parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON array of the resources of one type, by name. */
    static String render(String typeUrl, Map<String, byte[]> byName) {
        List<String> items = new ArrayList<>();
        new TreeMap<>(byName).forEach((name, bytes) -> {
            try {
                items.add("  " + PRINTER.print(parse(typeUrl, bytes)).replace("\n", "\n  "));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return items.isEmpty() ? "[]\n" : "[\n" + String.join(",\n", items) + "\n]\n";
    }
}
