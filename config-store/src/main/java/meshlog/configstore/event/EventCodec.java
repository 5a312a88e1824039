package meshlog.configstore.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Events as JSON with an explicit {@code type} and {@code schemaVersion}, so the log outlives the Java class names
 * and old records stay readable after a change of format.
 */
public final class EventCodec {

    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS) // Diagnostic.isError() is derived, not data
            .build();

    /**
     * By simple name, from the sealed interface itself: a new event type cannot be left out. UnreadableEvent is a
     * reader's note, never a record, so no record decodes to it.
     */
    @SuppressWarnings("unchecked")
    private static final Map<String, Class<? extends ConfigEvent>> TYPES = java.util.Arrays.stream(
                    ConfigEvent.class.getPermittedSubclasses())
            .filter(c -> c != ConfigEvent.UnreadableEvent.class)
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Class::getSimpleName,
                    c -> (Class<? extends ConfigEvent>) c));

    private EventCodec() {
    }

    /** @throws IllegalArgumentException for an {@link ConfigEvent.UnreadableEvent}, which is never written */
    public static byte[] encode(ConfigEvent event) {
        if (event instanceof ConfigEvent.UnreadableEvent) {
            throw new IllegalArgumentException("an unreadable event is a reader's note and is never written");
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("type", event.getClass().getSimpleName());
        node.put("schemaVersion", SCHEMA_VERSION);
        node.setAll((ObjectNode) JSON.valueToTree(event));
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException for a record this version cannot read (unknown type or newer schema) */
    public static ConfigEvent decode(byte[] bytes) {
        ConfigEvent hot;
        try {
            hot = StreamingEventDecoder.decode(JSON.getFactory(), bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable event: " + e.getMessage(), e);
        }
        return hot != null ? hot : decodeWithDatabind(bytes); // the common events token by token, the rest bound
    }

    /**
     * As {@link #decode}, except that a record this version cannot read comes back as an
     * {@link ConfigEvent.UnreadableEvent} of {@code repo} saying why, for readers that show the log instead of
     * serving it.
     */
    public static ConfigEvent decodeOrNote(String repo, byte[] bytes) {
        try {
            return decode(bytes);
        } catch (IllegalArgumentException e) {
            return UnreadableRecords.note(JSON, repo, bytes, e.getMessage());
        }
    }

    /** Any event through Jackson's databind: the reference {@link StreamingEventDecoder} is held to. */
    static ConfigEvent decodeWithDatabind(byte[] bytes) {
        try {
            Class<? extends ConfigEvent> direct = leadingType(bytes);
            if (direct != null) {
                return JSON.readValue(bytes, direct); // one pass instead of a tree and a second walk over it
            }
            JsonNode node = JSON.readTree(bytes);
            String type = node.path("type").asText();
            int version = node.path("schemaVersion").asInt(-1);
            Class<? extends ConfigEvent> cls = TYPES.get(type);
            if (cls == null || version < 1 || version > SCHEMA_VERSION) {
                throw new IllegalArgumentException("unreadable event: type=" + type + " schemaVersion=" + version);
            }
            return JSON.treeToValue(node, cls);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable event: " + e.getMessage(), e);
        }
    }

    /**
     * The event class when the record opens with {@code "type"} and a readable {@code "schemaVersion"}, as
     * {@link #encode} writes them; null otherwise (another order, an unknown type or version), left to the tree
     * path, which judges and reports it.
     */
    private static Class<? extends ConfigEvent> leadingType(byte[] bytes) throws IOException {
        try (JsonParser p = JSON.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || !p.currentName().equals("type") || p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            Class<? extends ConfigEvent> cls = TYPES.get(p.getText());
            if (cls == null || p.nextToken() != JsonToken.FIELD_NAME || !p.currentName().equals("schemaVersion")
                    || p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                return null;
            }
            int version = p.getIntValue();
            return version >= 1 && version <= SCHEMA_VERSION ? cls : null;
        }
    }

    /** The shared mapper, for other JSON records of this module. */
    public static ObjectMapper json() {
        return JSON;
    }
}
