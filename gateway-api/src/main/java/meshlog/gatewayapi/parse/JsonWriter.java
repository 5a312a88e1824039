package meshlog.gatewayapi.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import meshlog.gatewayapi.parse.SourceNode.ListNode;
import meshlog.gatewayapi.parse.SourceNode.MapNode;
import meshlog.gatewayapi.parse.SourceNode.ScalarNode;

/** Writes a {@link SourceNode} as compact JSON, keeping key order and YAML's scalar types. */
final class JsonWriter {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonWriter() {
    }

    static String write(SourceNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, SourceNode node) throws IOException {
        if (node instanceof MapNode m) {
            g.writeStartObject();
            for (Map.Entry<String, SourceNode> e : m.entries().entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (node instanceof ListNode l) {
            g.writeStartArray();
            for (SourceNode item : l.items()) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (node instanceof ScalarNode s) {
            switch (s.kind()) {
                case INTEGER, FLOAT -> g.writeNumber(s.text());
                case BOOLEAN -> g.writeBoolean(Boolean.parseBoolean(s.text()));
                case NULL -> g.writeNull();
                default -> g.writeString(s.text());
            }
        }
    }
}
