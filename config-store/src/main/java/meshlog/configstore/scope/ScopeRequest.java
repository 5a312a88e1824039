package meshlog.configstore.scope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.EventCodec;

/**
 * A distributor telling the reconciler that a proxy of {@code scope} is connected in {@code cluster} (topic
 * {@code meshlog.scopes}, key {@code <cluster>/<scope id>}). Bounded on read: a scope from a hostile or broken record
 * is refused, never allowed to grow the reconciler's work without limit.
 */
public record ScopeRequest(String cluster, ProxyScope scope) {

    public static final int MAX_LABELS = 64;
    public static final int MAX_TEXT = 317;
    public static final int MAX_BYTES = 32 * 1024;

    public String key() {
        return cluster + "/" + scope.id();
    }

    public byte[] encode() {
        ObjectNode node = EventCodec.json().createObjectNode();
        node.put("schemaVersion", 1);
        node.put("cluster", cluster);
        node.put("kind", scope.kind().name());
        node.put("namespace", scope.namespace());
        node.put("interception", scope.interception().name());
        ObjectNode labels = node.putObject("labels");
        scope.labels().forEach(labels::put);
        try {
            return EventCodec.json().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("plain values", e);
        }
    }

    /** @throws IllegalArgumentException for a record that is not a scope request within the bounds */
    public static ScopeRequest decode(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("scope request missing or over " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode n = EventCodec.json().readTree(bytes);
            Map<String, String> labels = new TreeMap<>();
            n.path("labels").fields().forEachRemaining(e -> labels.put(text(e.getKey()), text(e.getValue().asText())));
            if (labels.size() > MAX_LABELS) {
                throw new IllegalArgumentException("scope request with " + labels.size() + " labels");
            }
            ProxyScope scope = new ProxyScope(ProxyScope.Kind.valueOf(n.path("kind").asText()),
                    text(n.path("namespace").asText()), labels,
                    ProxyScope.Interception.valueOf(n.path("interception").asText()));
            return new ScopeRequest(text(n.path("cluster").asText()), scope);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable scope request: " + e.getMessage(), e);
        }
    }

    private static String text(String s) {
        if (s.length() > MAX_TEXT) {
            throw new IllegalArgumentException("scope request value over " + MAX_TEXT + " characters");
        }
        return s;
    }
}
