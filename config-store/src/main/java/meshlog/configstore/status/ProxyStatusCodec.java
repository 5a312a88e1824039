package meshlog.configstore.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import meshlog.configstore.event.EventCodec;

/** {@link ProxyStatus} as the JSON value of {@code meshlog.proxy-status}, with a {@code schemaVersion}. */
final class ProxyStatusCodec {

    static final int SCHEMA_VERSION = 1;

    private ProxyStatusCodec() {
    }

    /** The record key: {@code cluster/proxyId}. */
    static String key(String cluster, String proxyId) {
        return cluster + "/" + proxyId;
    }

    static byte[] encode(ProxyStatus status) {
        ObjectNode node = EventCodec.json().createObjectNode();
        node.put("schemaVersion", SCHEMA_VERSION);
        node.setAll((ObjectNode) EventCodec.json().valueToTree(status));
        try {
            return EventCodec.json().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException for a value this version cannot read */
    static ProxyStatus decode(byte[] bytes) {
        try {
            JsonNode node = EventCodec.json().readTree(bytes);
            int version = node.path("schemaVersion").asInt(-1);
            if (version < 1 || version > SCHEMA_VERSION) {
                throw new IllegalArgumentException("unreadable proxy status: schemaVersion=" + version);
            }
            return EventCodec.json().treeToValue(node, ProxyStatus.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable proxy status: " + e.getMessage(), e);
        }
    }
}
