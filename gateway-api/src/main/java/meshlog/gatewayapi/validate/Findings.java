package meshlog.gatewayapi.validate;

import java.util.List;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.Diagnostic.Severity;
import meshlog.gatewayapi.coverage.FieldRow;
import meshlog.gatewayapi.parse.ParsedResource;

/**
 * Where the rules for one object put what they find: each finding is placed at the line of the field it names
 * ({@code spec.http[0].route[1].weight}), or of its nearest written parent when the field is missing.
 */
public final class Findings {

    private final ParsedResource resource;
    private final List<Diagnostic> out;

    public Findings(ParsedResource resource, List<Diagnostic> out) {
        this.resource = resource;
        this.out = out;
    }

    public ParsedResource resource() {
        return resource;
    }

    List<Diagnostic> out() {
        return out;
    }

    public void error(String code, String path, String message) {
        out.add(ConfigValidator.at(resource, code, Severity.ERROR, path, message));
    }

    public void warning(String code, String path, String message) {
        out.add(ConfigValidator.at(resource, code, Severity.WARNING, path, message));
    }

    /**
     * A valid field that meshlog's translators do not turn into proxy config yet: said, so nobody believes a retry
     * policy or a fault is in force when it is not.
     */
    public void notTranslated(String path) {
        warning("ML0011", path, "valid, but meshlog does not apply this field to proxies yet");
    }

    /** A security policy's field no proxy would enforce: refused, with the table's reason. */
    void notEnforced(String path, FieldRow row) {
        error("ML0017", path, "meshlog cannot enforce " + (row.variant().isEmpty() ? "this field"
                : "this field as " + row.variant()) + " for the proxies it selects (" + row.note()
                + "); refused, so no one believes it is in force");
    }

    /**
     * Whether the field at {@code path} was written in the document, even empty ({@code port: {}}): for rules on
     * fields whose model value cannot tell "not given" from "given as zero".
     */
    public boolean written(String path) {
        return resource.positions().containsKey(path);
    }

    /** Reports {@code problem} as an error when it is not null (the checks in {@link Checks} return such). */
    public void errorIf(String code, String path, String problem) {
        if (problem != null) {
            error(code, path, problem);
        }
    }
}
