package meshlog.gatewayapi.coverage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/**
 * Which written values a row of the table is about: {@code spec.hosts[]} is applied, but a wildcard host is a row
 * of its own that is not. Tested on the value as the user wrote it (the document's JSON), the field's path, and the
 * document's {@code spec} (a VirtualService's {@code exportTo} is applied only when it has no hosts, a delegate's).
 */
@FunctionalInterface
public interface When {

    /** Any value that is written and not null. */
    When WRITTEN = (spec, path, value) -> !value.isNull();
    /** A non-empty list, map or string. */
    When NON_EMPTY = (spec, path, value) -> !value.isNull() && (value.isContainerNode() ? !value.isEmpty()
            : !value.asText().isEmpty());

    boolean test(JsonNode spec, String path, JsonNode value);

    static When startsWith(String prefix) {
        return (spec, path, value) -> value.isTextual() && value.asText().startsWith(prefix);
    }

    static When contains(String part) {
        return (spec, path, value) -> value.isTextual() && value.asText().contains(part);
    }

    static When equalTo(String text) {
        return (spec, path, value) -> value.isTextual() && value.asText().equals(text);
    }

    static When not(When w) {
        return (spec, path, value) -> !value.isNull() && !w.test(spec, path, value);
    }

    static When and(When a, When b) {
        return (spec, path, value) -> a.test(spec, path, value) && b.test(spec, path, value);
    }

    static When or(When a, When b) {
        return (spec, path, value) -> a.test(spec, path, value) || b.test(spec, path, value);
    }

    /** The field's path contains {@code part}: a map key such as a header name, which may itself hold dots. */
    static When pathContains(String part) {
        return (spec, path, value) -> path.contains(part);
    }

    /** The document's {@code spec} passes {@code test}: what the value means depends on another field. */
    static When inSpec(Predicate<JsonNode> test) {
        return (spec, path, value) -> test.test(spec);
    }
}
