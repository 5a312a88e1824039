package meshlog.gatewayapi.parse;

import java.util.List;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.Diagnostic.Severity;

/** Collects diagnostics for one file, labelled with the object currently being read. */
final class DiagnosticSink {

    private final String file;
    private final List<Diagnostic> out;
    private String resource = "";
    private boolean strict;

    DiagnosticSink(String file, List<Diagnostic> out) {
        this.file = file;
        this.out = out;
    }

    void resource(String label) {
        this.resource = label;
    }

    /**
     * Whether the object being read is a security kind, where an Istio field meshlog would ignore is an error, not a
     * warning: an ignored {@code notPrincipals} silently widens who is allowed.
     */
    boolean strict() {
        return strict;
    }

    void strict(boolean strict) {
        this.strict = strict;
    }

    void error(String code, int line, int column, String path, String message) {
        out.add(new Diagnostic(code, Severity.ERROR, file, line, column, resource, path, message));
    }

    void warning(String code, int line, int column, String path, String message) {
        out.add(new Diagnostic(code, Severity.WARNING, file, line, column, resource, path, message));
    }

    void error(String code, SourceNode at, String path, String message) {
        error(code, at.line(), at.column(), path, message);
    }
}
