package meshlog.xds.grpc;

import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import meshlog.configstore.LogSafe;
import meshlog.xds.proxy.ProxyNode;

/**
 * Whether a request's node may be read at all: its id and metadata within {@link EdgeLimits}, and the metadata keys
 * meshlog reads of the type they must have. Istio answers node metadata it cannot parse into its typed
 * {@code NodeMetadata} with INVALID_ARGUMENT; so does this, instead of reading a {@code NAMESPACE} given as a number
 * as missing and serving the proxy the {@code default} namespace's identity.
 */
final class NodeCheck {

    /** Keys read as text; each must be a string when present. */
    static final List<String> TEXT_KEYS = List.of(ProxyNode.CLUSTER_ID, ProxyNode.NAMESPACE,
            ProxyNode.SERVICE_ACCOUNT, ProxyNode.GENERATOR, ProxyNode.INTERCEPTION_MODE);

    private NodeCheck() {
    }

    /** Why {@code node} is refused, or null when it may be read. */
    static Status refusal(Node node, EdgeLimits limits) {
        int idBytes = node.getIdBytes().size();
        if (idBytes > limits.maxNodeIdBytes()) {
            return Status.RESOURCE_EXHAUSTED.withDescription("node id is " + idBytes + " bytes; this distributor"
                    + " accepts at most " + limits.maxNodeIdBytes() + " (--xds-max-node-id)");
        }
        int metadataBytes = node.getMetadata().getSerializedSize();
        if (metadataBytes > limits.maxMetadataBytes()) {
            return Status.RESOURCE_EXHAUSTED.withDescription("node metadata is " + metadataBytes + " bytes; this"
                    + " distributor accepts at most " + limits.maxMetadataBytes() + " (--xds-max-metadata)");
        }
        Map<String, Value> fields = node.getMetadata().getFieldsMap();
        for (String key : TEXT_KEYS) {
            Value value = fields.get(key);
            if (value != null && value.getKindCase() != Value.KindCase.STRING_VALUE) {
                return wrongType(node, key, "a string", value);
            }
        }
        Value labels = fields.get(ProxyNode.LABELS);
        if (labels != null) {
            if (labels.getKindCase() != Value.KindCase.STRUCT_VALUE) {
                return wrongType(node, ProxyNode.LABELS, "a struct of strings", labels);
            }
            for (Map.Entry<String, Value> label : labels.getStructValue().getFieldsMap().entrySet()) {
                if (label.getValue().getKindCase() != Value.KindCase.STRING_VALUE) {
                    return wrongType(node, ProxyNode.LABELS + "." + LogSafe.value(label.getKey(), 63), "a string",
                            label.getValue());
                }
            }
        }
        return null;
    }

    private static Status wrongType(Node node, String key, String expected, Value got) {
        return Status.INVALID_ARGUMENT.withDescription("proxy '" + LogSafe.value(node.getId(), 100)
                + "': node metadata " + key + " must be " + expected + ", got " + kind(got));
    }

    /** A value's JSON kind, as the proxy's bootstrap wrote it. */
    static String kind(Value value) {
        return switch (value.getKindCase()) {
            case NULL_VALUE -> "null";
            case NUMBER_VALUE -> "a number";
            case STRING_VALUE -> "a string";
            case BOOL_VALUE -> "a boolean";
            case STRUCT_VALUE -> "a struct";
            case LIST_VALUE -> "a list";
            case KIND_NOT_SET -> "no value";
        };
    }
}
