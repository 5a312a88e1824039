package meshlog.gatewayapi.parse;

import java.util.List;
import java.util.Map;

/** A YAML value together with where it was written, so any diagnostic can point at it. */
public sealed interface SourceNode {

    int line();

    int column();

    /** A short name for the value's type, used in "expected X, got Y" messages. */
    String typeName();

    /** Keys keep document order; {@code keyLines} gives the line of each key for "unknown field" messages. */
    record MapNode(Map<String, SourceNode> entries, Map<String, int[]> keyPositions, int line, int column)
            implements SourceNode {
        @Override
        public String typeName() {
            return "object";
        }
    }

    record ListNode(List<SourceNode> items, int line, int column) implements SourceNode {
        @Override
        public String typeName() {
            return "list";
        }
    }

    /** {@code kind} keeps YAML's typing: an unquoted 80 is a number, a quoted "80" a string. */
    record ScalarNode(String text, ScalarKind kind, int line, int column) implements SourceNode {
        @Override
        public String typeName() {
            return kind.name().toLowerCase();
        }
    }

    enum ScalarKind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }
}
