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
 * <p>With {@code agentSocket}, as istio-proxy beside istio-agent: {@code xds-grpc} and {@code sds-grpc} are the
 * agent's Unix domain socket, which answers SDS itself and proxies the rest of ADS to a distributor over mTLS.
 *
 * @param xdsHost the distributor's address (an IP: the cluster is STATIC; a name: STRICT_DNS); unused with an agent
 * @param interception {@code REDIRECT} or {@code NONE}
 * @param agentSocket the path of {@code meshlog agent}'s socket, or null to talk to a distributor directly
 */
record EnvoyBootstrap(String xdsHost, int xdsPort, String cluster, String nodeId, Map<String, String> labels,
                      String serviceAccount, String interception, int adminPort, boolean sotw, String agentSocket) {

    static final String ISTIO_VERSION = "meshlog-0.1.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    EnvoyBootstrap {
        labels = Map.copyOf(labels);
    }

    /** Straight to a distributor, without an agent. */
    EnvoyBootstrap(String xdsHost, int xdsPort, String cluster, String nodeId, Map<String, String> labels,
                   String serviceAccount, String interception, int adminPort, boolean sotw) {
        this(xdsHost, xdsPort, cluster, nodeId, labels, serviceAccount, interception, adminPort, sotw, null);
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

        ArrayNode clusters = root.putObject("static_resources").putArray("clusters");
        if (agentSocket == null) {
            ObjectNode socket = grpcCluster(clusters, "xds-grpc", isIpLiteral(xdsHost) ? "STATIC" : "STRICT_DNS")
                    .putObject("socket_address");
            socket.put("address", xdsHost);
            socket.put("port_value", xdsPort);
        } else {
            for (String name : new String[] {"xds-grpc", "sds-grpc"}) {
                grpcCluster(clusters, name, "STATIC").putObject("pipe").put("path", agentSocket);
            }
        }

        ObjectNode admin = root.putObject("admin").putObject("address").putObject("socket_address");
        admin.put("address", "127.0.0.1");
        admin.put("port_value", adminPort);
        return root;
    }

    /** An HTTP/2 cluster of one endpoint; returns the endpoint's address object to fill. */
    private static ObjectNode grpcCluster(ArrayNode clusters, String name, String type) {
        ObjectNode c = clusters.addObject();
        c.put("name", name);
        c.put("type", type);
        c.put("connect_timeout", "1s");
        c.putObject("typed_extension_protocol_options")
                .putObject("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
                .put("@type", "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
                .putObject("explicit_http_config").putObject("http2_protocol_options");
        ObjectNode la = c.putObject("load_assignment");
        la.put("cluster_name", name);
        return la.putArray("endpoints").addObject().putArray("lb_endpoints").addObject().putObject("endpoint")
                .putObject("address");
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
