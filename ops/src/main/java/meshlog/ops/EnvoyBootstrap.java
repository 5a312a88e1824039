package meshlog.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bootstrap an Envoy sidecar joins the mesh with, as istio-proxy's: node id and metadata Istio-style, ADS
 * (delta unless {@code sotw}) over HTTP/2 to a distributor through the static cluster {@code xds-grpc}, LDS and CDS
 * from ADS, the admin API on loopback. Pure: options in, JSON out (Envoy reads JSON as YAML).
 *
 * @param xdsHost the distributor's address (an IP: the cluster is STATIC; a name: STRICT_DNS)
 * @param interception {@code REDIRECT} or {@code NONE}
 */
record EnvoyBootstrap(String xdsHost, int xdsPort, String cluster, String nodeId, Map<String, String> labels,
                      String serviceAccount, String interception, int adminPort, boolean sotw) {

    static final String ISTIO_VERSION = "meshlog-0.1.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    EnvoyBootstrap {
        labels = Map.copyOf(labels);
    }

    ObjectNode json() {
        SidecarNodeId id = SidecarNodeId.parse(nodeId);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode node = root.putObject("node");
        node.put("id", nodeId);
        node.put("cluster", (labels.getOrDefault("app", id.pod())) + "." + id.namespace());
        ObjectNode md = node.putObject("metadata");
        md.put("CLUSTER_ID", cluster);
        md.put("NAMESPACE", id.namespace());
        md.put("SERVICE_ACCOUNT", serviceAccount);
        md.put("INSTANCE_IPS", id.ip());
        md.put("INTERCEPTION_MODE", interception);
        md.put("ISTIO_VERSION", ISTIO_VERSION);
        ObjectNode labelNode = md.putObject("LABELS");
        new TreeMap<>(labels).forEach(labelNode::put);

        ObjectNode dynamic = root.putObject("dynamic_resources");
        ObjectNode ads = dynamic.putObject("ads_config");
        ads.put("api_type", sotw ? "GRPC" : "DELTA_GRPC");
        ads.put("transport_api_version", "V3");
        ads.put("set_node_on_first_message_only", true);
        ads.putArray("grpc_services").addObject().putObject("envoy_grpc").put("cluster_name", "xds-grpc");
        for (String source : new String[] {"cds_config", "lds_config"}) {
            ObjectNode cs = dynamic.putObject(source);
            cs.putObject("ads");
            cs.put("resource_api_version", "V3");
        }

        ObjectNode xds = root.putObject("static_resources").putArray("clusters").addObject();
        xds.put("name", "xds-grpc");
        xds.put("type", isIpLiteral(xdsHost) ? "STATIC" : "STRICT_DNS");
        xds.put("connect_timeout", "1s");
        xds.putObject("typed_extension_protocol_options")
                .putObject("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
                .put("@type", "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
                .putObject("explicit_http_config").putObject("http2_protocol_options");
        ObjectNode la = xds.putObject("load_assignment");
        la.put("cluster_name", "xds-grpc");
        ArrayNode lbEndpoints = la.putArray("endpoints").addObject().putArray("lb_endpoints");
        ObjectNode socket = lbEndpoints.addObject().putObject("endpoint").putObject("address")
                .putObject("socket_address");
        socket.put("address", xdsHost);
        socket.put("port_value", xdsPort);

        ObjectNode admin = root.putObject("admin").putObject("address").putObject("socket_address");
        admin.put("address", "127.0.0.1");
        admin.put("port_value", adminPort);
        return root;
    }

    String text() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values", e);
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }
}
