package meshlog.gatewayapi.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.parse.SourceNode.ListNode;
import meshlog.gatewayapi.parse.SourceNode.MapNode;
import meshlog.gatewayapi.parse.SourceNode.ScalarKind;
import meshlog.gatewayapi.parse.SourceNode.ScalarNode;

/**
 * Reads a stream of YAML (or JSON) documents into {@link SourceNode} trees, keeping positions and reporting duplicate
 * keys. Jackson's own tree model drops positions, which is why this exists.
 */
final class YamlTreeReader {

    static final int MAX_DEPTH = 64;
    /** Aliases ({@code *name}) per document: people use a handful; thousands are an attack. */
    static final int MAX_ALIASES = 100;
    /** Nodes that aliases may add to one document when expanded: bounds a "billion laughs" to a few MB. */
    static final int MAX_ALIAS_NODES = 10_000;

    /** A node given an anchor ({@code &name}), with how many nodes it stands for when every alias is expanded. */
    private record Anchored(SourceNode node, int size) {
    }

    /** A key given twice in one mapping; YAML forbids it and Kubernetes would silently keep the last. */
    record DuplicateKey(String key, int line, int column) {
    }

    private final JsonParser parser;
    private final List<DuplicateKey> duplicates = new ArrayList<>();
    private final Map<String, Anchored> anchors = new HashMap<>();
    private int nodes;
    private int aliases;
    private int aliasNodes;

    YamlTreeReader(JsonParser parser) {
        this.parser = parser;
    }

    List<DuplicateKey> duplicates() {
        return duplicates;
    }

    /** The next document, or null at the end of the stream. */
    SourceNode nextDocument() throws IOException {
        JsonToken token = parser.nextToken();
        anchors.clear(); // YAML anchors are scoped to their document
        aliases = 0;
        aliasNodes = 0;
        return token == null ? null : read(token, 0);
    }

    private SourceNode read(JsonToken token, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("nesting deeper than " + MAX_DEPTH + " levels");
        }
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            return alias(parser.getText());
        }
        String anchor = parser instanceof YAMLParser yaml ? yaml.getCurrentAnchor() : null;
        int before = nodes;
        SourceNode node = readValue(token, depth);
        nodes++;
        if (anchor != null) {
            anchors.put(anchor, new Anchored(node, nodes - before));
        }
        return node;
    }

    /**
     * The node an alias stands for, shared rather than copied; refused past {@link #MAX_ALIASES} aliases or
     * {@link #MAX_ALIAS_NODES} expanded nodes, since later stages walk the tree as if it were expanded.
     */
    private SourceNode alias(String name) throws IOException {
        Anchored a = anchors.get(name);
        if (a == null) {
            throw new IOException("alias *" + name + " refers to no anchor &" + name + " before it");
        }
        if (++aliases > MAX_ALIASES) {
            throw new IOException("more than " + MAX_ALIASES + " aliases in one document");
        }
        aliasNodes += a.size();
        if (aliasNodes > MAX_ALIAS_NODES) {
            throw new IOException("aliases expand to more than " + MAX_ALIAS_NODES
                    + " values in one document (an alias bomb?)");
        }
        nodes += a.size();
        return a.node();
    }

    private SourceNode readValue(JsonToken token, int depth) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        switch (token) {
            case START_OBJECT:
                return readMap(line, column, depth);
            case START_ARRAY:
                List<SourceNode> items = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    items.add(read(t, depth + 1));
                }
                return new ListNode(items, line, column);
            case VALUE_STRING:
                return new ScalarNode(parser.getText(), ScalarKind.STRING, line, column);
            case VALUE_NUMBER_INT:
                // In decimal, whatever YAML form was written (0x50, 8_080), as Kubernetes reads them.
                return new ScalarNode(parser.getBigIntegerValue().toString(), ScalarKind.INTEGER, line, column);
            case VALUE_NUMBER_FLOAT:
                return new ScalarNode(parser.getText(), ScalarKind.FLOAT, line, column);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new ScalarNode(parser.getText(), ScalarKind.BOOLEAN, line, column);
            case VALUE_NULL:
                return new ScalarNode("", ScalarKind.NULL, line, column);
            default:
                return new ScalarNode(parser.getText(), ScalarKind.STRING, line, column);
        }
    }

    private MapNode readMap(int line, int column, int depth) throws IOException {
        Map<String, SourceNode> entries = new LinkedHashMap<>();
        Map<String, int[]> keys = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String key = parser.currentName();
            JsonLocation keyAt = parser.currentTokenLocation();
            SourceNode value = read(parser.nextToken(), depth + 1);
            if (entries.containsKey(key)) {
                duplicates.add(new DuplicateKey(key, keyAt.getLineNr(), keyAt.getColumnNr()));
            }
            entries.put(key, value);
            keys.put(key, new int[] {keyAt.getLineNr(), keyAt.getColumnNr()});
        }
        return new MapNode(entries, keys, line, column);
    }
}
