package meshlog.gatewayapi;

import java.util.Comparator;

/**
 * One finding about the user's config, located precisely enough for a person to fix it.
 *
 * <p>Prints like a compiler: {@code routes.yaml:14:9: error [VS0101] VirtualService default/reviews
 * spec.http[0].route[1].weight: must be >= 0, got -5}.
 *
 * @param code stable identifier of the rule (see docs/diagnostics.md)
 * @param resource the object it concerns, e.g. {@code VirtualService default/reviews}; empty when none could be read
 * @param path field path inside the object, e.g. {@code spec.http[0].route[1].weight}; empty for the whole document
 */
public record Diagnostic(String code, Severity severity, String file, int line, int column,
                         String resource, String path, String message) {

    /** Error blocks a commit; warning is recorded and does not. */
    public enum Severity { ERROR, WARNING }

    public static final Comparator<Diagnostic> BY_LOCATION = Comparator
            .comparing(Diagnostic::file)
            .thenComparingInt(Diagnostic::line)
            .thenComparingInt(Diagnostic::column)
            .thenComparing(Diagnostic::code);

    public Diagnostic {
        resource = resource == null ? "" : resource;
        path = path == null ? "" : path;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The one-line, compiler-style form users see in logs, the CLI and the audit trail. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(file).append(':').append(line).append(':').append(column).append(": ")
                .append(severity.name().toLowerCase()).append(" [").append(code).append("] ");
        if (!resource.isEmpty()) {
            sb.append(resource).append(' ');
        }
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
