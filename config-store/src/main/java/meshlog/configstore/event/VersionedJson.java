package meshlog.configstore.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import meshlog.configstore.LogSafe;

/**
 * The JSON of a record meshlog writes outside the event log (snapshot manifests and pointers, publications, ACK
 * records): the record's fields beside {@code schemaVersion} and, where topics carry several kinds, {@code type}.
 * One place for the layout, so every such record reads and refuses the same way.
 */
public final class VersionedJson {

    private VersionedJson() {
    }

    /** {@code record}'s fields after {@code type} (left out when null) and {@code schemaVersion}. */
    public static byte[] encode(String type, int schemaVersion, Object record) {
        ObjectNode node = EventCodec.json().createObjectNode();
        if (type != null) {
            node.put("type", type);
        }
        node.put("schemaVersion", schemaVersion);
        node.setAll((ObjectNode) EventCodec.json().valueToTree(record));
        try {
            return EventCodec.json().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The record in {@code bytes}, of {@code type} and a schema version from 1 to {@code maxVersion}, without those
     * two fields.
     *
     * @param what names the record in the error, e.g. "publication"
     * @throws IllegalArgumentException for bytes that are no such record, of another type, or of a newer schema
     */
    public static <T> T decode(byte[] bytes, String type, int maxVersion, Class<T> as, String what) {
        try {
            JsonNode node = EventCodec.json().readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("unreadable " + what + ": not a JSON object");
            }
            int version = node.path("schemaVersion").asInt(-1);
            if (!type.equals(node.path("type").asText()) || version < 1 || version > maxVersion) {
                throw new IllegalArgumentException("unreadable " + what + ": type="
                        + LogSafe.value(node.path("type").asText(), 100) + " schemaVersion=" + version);
            }
            ObjectNode fields = ((ObjectNode) node).deepCopy();
            fields.remove("type");
            fields.remove("schemaVersion");
            return EventCodec.json().treeToValue(fields, as);
        } catch (IOException | RuntimeException e) {
            throw e instanceof IllegalArgumentException iae ? iae
                    : new IllegalArgumentException("unreadable " + what + ": " + e.getMessage(), e);
        }
    }
}
