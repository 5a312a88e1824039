package meshlog.gatewayapi.coverage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which written values a row of the table is about: {@code spec.hosts[]} is applied, but a wildcard host is a row
 * of its own that is not. Tested on the value as the user wrote it (the document's JSON) and the field's path.
 */
@FunctionalInterface
public interface When {

    /** Any value that is written and not null. */
    When WRITTEN = (path, value) -> !value.isNull();
    /** A non-empty list, map or string. */
    When NON_EMPTY = (path, value) -> !value.isNull() && (value.isContainerNode() ? !value.isEmpty()
            : !value.asText().isEmpty());

    boolean test(String path, JsonNode value);

    static When startsWith(String prefix) {
        return (path, value) -> value.isTextual() && value.asText().startsWith(prefix);
    }

    static When contains(String part) {
        return (path, value) -> value.isTextual() && value.asText().contains(part);
    }

    static When equalTo(String text) {
        return (path, value) -> value.isTextual() && value.asText().equals(text);
    }

    static When not(When w) {
        return (path, value) -> !value.isNull() && !w.test(path, value);
    }

    /** The field's path contains {@code part}: a map key such as a header name, which may itself hold dots. */
    static When pathContains(String part) {
        return (path, value) -> path.contains(part);
    }
}
