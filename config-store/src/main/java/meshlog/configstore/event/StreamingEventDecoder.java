package meshlog.configstore.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.gatewayapi.ResourceKey;

/**
 * Reads the events that make up almost all of a log ({@link ResourceUpserted}, {@link ResourceDeleted} and a
 * {@link CommitApplied} without warnings) token by token in one pass, without Jackson's databind: a replay of a
 * long log decodes hundreds of thousands of them, and databind (a bean deserializer per record, the fields it does
 * not map buffered aside) cost more than the fetch. Fields may come in any order and unknown ones are skipped, as
 * the databind path allows.
 *
 * <p>Anything else (another event type, a schema version this meshlog does not know, a field of an unexpected
 * shape, warnings) is not judged here: {@link #decode} returns null and {@link EventCodec} reads the record with
 * databind, which decides and words the error. Malformed JSON throws {@link IOException} (Jackson's, with its
 * location), which the codec reports as an unreadable event.
 */
final class StreamingEventDecoder {

    private static final int SUPPORTED_VERSION = 1;

    private StreamingEventDecoder() {
    }

    /** The event in {@code bytes}, or null when it is not one this decoder reads (left to databind). */
    static ConfigEvent decode(JsonFactory factory, byte[] bytes) throws IOException {
        try (JsonParser p = factory.createParser(bytes)) {
            return read(p, bytes);
        } catch (Shape e) {
            return null;
        }
    }

    private static ConfigEvent read(JsonParser p, byte[] bytes) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Fields f = new Fields(bytes);
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (!f.read(name, v, p)) {
                return null;
            }
        }
        if (p.nextToken() != null) {
            return null; // trailing content: databind judges it
        }
        return f.event();
    }

    /** Every field any of the hot event types has; which are required depends on {@code type}. */
    private static final class Fields {
        final byte[] bytes;
        String type;
        int version = -1;
        String repo;
        String commit;
        ResourceKey key;
        String file;
        Integer line;
        String document;
        CommitInfo info;
        List<ResourceKey> changed;
        boolean warningsEmpty;

        Fields(byte[] bytes) {
            this.bytes = bytes;
        }

        /** Reads one field's value; false when its shape is not the one this decoder expects. */
        boolean read(String name, JsonToken v, JsonParser p) throws IOException {
            switch (name) {
                case "type" -> type = text(v, p);
                case "schemaVersion" -> {
                    if (v != JsonToken.VALUE_NUMBER_INT) {
                        return false;
                    }
                    version = p.getIntValue();
                }
                case "repo" -> repo = text(v, p);
                case "commit" -> commit = text(v, p);
                case "file" -> file = text(v, p);
                case "document" -> document = document(v, p, bytes);
                case "line" -> {
                    if (v != JsonToken.VALUE_NUMBER_INT) {
                        return false;
                    }
                    line = p.getIntValue();
                }
                case "key" -> {
                    key = key(v, p);
                    return key != null;
                }
                case "info" -> {
                    info = info(v, p);
                    return info != null;
                }
                case "changed" -> {
                    changed = keys(v, p);
                    return changed != null;
                }
                case "warnings" -> {
                    // Warnings are rare: a commit that has them goes to databind, which reads a Diagnostic.
                    warningsEmpty = v == JsonToken.START_ARRAY && p.nextToken() == JsonToken.END_ARRAY;
                    return warningsEmpty;
                }
                default -> p.skipChildren(); // a field this version does not know, as databind ignores it
            }
            return true;
        }

        ConfigEvent event() {
            if (type == null || version != SUPPORTED_VERSION || repo == null) {
                return null;
            }
            return switch (type) {
                case "ResourceUpserted" -> commit == null || key == null || file == null || line == null
                        || document == null ? null : new ResourceUpserted(repo, commit, key, file, line, document);
                case "ResourceDeleted" -> commit == null || key == null ? null
                        : new ResourceDeleted(repo, commit, key);
                case "CommitApplied" -> info == null || changed == null || !warningsEmpty ? null
                        : new CommitApplied(repo, info, changed, List.of());
                default -> null;
            };
        }
    }

    /** A string value; null for JSON null; any other token makes the field unreadable here. */
    private static String text(JsonToken v, JsonParser p) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v != JsonToken.VALUE_NULL) {
            p.skipChildren();
            throw new Shape();
        }
        return null;
    }

    /**
     * The document: the event's largest string (an object's whole JSON, every quote in it escaped), read straight
     * from the record's bytes into a Latin-1 string when it is ASCII and its escapes stay within Latin-1, which
     * costs half of Jackson's decoding into chars and compacting them again; Jackson reads any other.
     */
    private static String document(JsonToken v, JsonParser p, byte[] bytes) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            long at = p.currentTokenLocation().getByteOffset();
            String fast = at >= 0 && at < bytes.length && bytes[(int) at] == '"' ? latin1(bytes, (int) at) : null;
            if (fast != null) {
                return fast; // the parser skips the string's bytes at its next token
            }
        }
        return text(v, p);
    }

    /** The JSON string opening at {@code quote}, or null when it holds a byte or an escape outside ASCII/Latin-1. */
    private static String latin1(byte[] b, int quote) {
        byte[] out = new byte[b.length - quote];
        int n = 0;
        int i = quote + 1;
        while (i < b.length) {
            byte c = b[i++];
            if (c == '"') {
                return new String(out, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (c < 0x20) { // a control character (invalid unescaped, Jackson says so) or a byte of UTF-8
                return null;
            }
            if (c == '\\') {
                if (i >= b.length) {
                    return null;
                }
                int e = switch (b[i++]) {
                    case '"' -> '"';
                    case '\\' -> '\\';
                    case '/' -> '/';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'u' -> i + 4 <= b.length ? hex4(b, i) : -1;
                    default -> -1;
                };
                if (e < 0 || e > 0xFF) {
                    return null;
                }
                if (b[i - 1] == 'u') {
                    i += 4;
                }
                c = (byte) e;
            }
            out[n++] = c;
        }
        return null; // no closing quote: Jackson reports where
    }

    private static int hex4(byte[] b, int at) {
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    private static ResourceKey key(JsonToken v, JsonParser p) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            return null;
        }
        String kind = null;
        String namespace = null;
        String name = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "kind" -> kind = text(value, p);
                case "namespace" -> namespace = text(value, p);
                case "name" -> name = text(value, p);
                default -> p.skipChildren();
            }
        }
        return kind == null || namespace == null || name == null ? null : new ResourceKey(kind, namespace, name);
    }

    private static List<ResourceKey> keys(JsonToken v, JsonParser p) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            return null;
        }
        List<ResourceKey> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            ResourceKey k = key(t, p);
            if (k == null) {
                return null;
            }
            out.add(k);
        }
        return out;
    }

    private static CommitInfo info(JsonToken v, JsonParser p) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            return null;
        }
        String sha = null;
        String author = null;
        String email = null;
        String time = null;
        String message = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "sha" -> sha = text(value, p);
                case "author" -> author = text(value, p);
                case "email" -> email = text(value, p);
                case "time" -> time = text(value, p);
                case "message" -> message = text(value, p);
                default -> p.skipChildren();
            }
        }
        if (sha == null || time == null) {
            return null;
        }
        try {
            return new CommitInfo(sha, author, email, Instant.parse(time), message);
        } catch (DateTimeParseException e) {
            return null; // databind reads (or refuses) other spellings of a time
        }
    }

    /** A field of another shape than expected: the record is left to databind. */
    private static final class Shape extends RuntimeException {
        Shape() {
            super(null, null, false, false);
        }
    }
}
