package meshlog.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import meshlog.reconciler.xds.XdsJson;
import meshlog.xds.XdsDistributor;
import meshlog.xds.snapshot.DecodedSnapshot;
import meshlog.xds.status.StatusBoard;
import meshlog.xdscheck.TypeUrls;

/**
 * What a connected proxy is being served right now, read from the distributor that holds its stream: the scope
 * snapshot it gets (LDS, RDS, CDS, EDS as Envoy's JSON; never its SDS secrets), with the version and the commit it
 * came from. The answer of {@code GET /api/proxy-config?id=NODE} and of {@code proxy-config --live}, in the shape of
 * the offline {@code proxy-config} so the two can be compared.
 */
final class LiveProxyConfig {

    /** The {@code --type} names, in the order printed. */
    static final Map<String, String> TYPES = Map.of("listeners", TypeUrls.LISTENER, "routes", TypeUrls.ROUTE,
            "clusters", TypeUrls.CLUSTER, "endpoints", TypeUrls.ENDPOINT);
    static final List<String> ORDER = List.of("listeners", "routes", "clusters", "endpoints");

    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveProxyConfig() {
    }

    /** The proxy's config from {@code server}, or null when no stream of that node id is open there. */
    static ObjectNode of(String cluster, String distributor, XdsDistributor server, String proxyId, String type) {
        StatusBoard.Connected proxy = server.connectedProxies().stream()
                .filter(c -> c.status().proxyId().equals(proxyId)).findFirst().orElse(null);
        if (proxy == null) {
            return null;
        }
        DecodedSnapshot served = server.servedSnapshot(proxy.scope());
        ObjectNode out = JSON.createObjectNode();
        out.put("proxyId", proxyId);
        out.put("cluster", cluster);
        out.put("distributor", distributor);
        out.put("scope", proxy.scope());
        out.put("version", served.version());
        out.put("commit", served.commit());
        for (String name : ORDER) {
            if (type.equals("all") || type.equals(name)) {
                ArrayNode items = out.putArray(name);
                for (Message m : resources(served, name)) {
                    items.add(json(TYPES.get(name), m));
                }
            }
        }
        return out;
    }

    private static List<? extends Message> resources(DecodedSnapshot s, String name) {
        return switch (name) {
            case "listeners" -> s.listeners();
            case "routes" -> s.routes();
            case "clusters" -> s.clusters();
            case "endpoints" -> s.endpoints();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static JsonNode json(String typeUrl, Message m) {
        try {
            return JSON.readTree(XdsJson.print(typeUrl, m.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
