package meshlog.gatewayapi.model;

/** Istio's {@code StringMatch}: exactly one of exact, prefix or regex (RE2). */
public sealed interface StringMatch {

    String value();

    record Exact(String value) implements StringMatch {
    }

    record Prefix(String value) implements StringMatch {
    }

    record Regex(String value) implements StringMatch {
    }
}
