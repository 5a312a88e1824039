package meshlog.gatewayapi.parse;

import java.util.List;
import meshlog.gatewayapi.Diagnostic;

/** What reading some files produced: the objects that could be read and everything found wrong on the way. */
public record ParseResult(List<ParsedResource> resources, List<Diagnostic> diagnostics) {
    public ParseResult {
        resources = List.copyOf(resources);
        diagnostics = List.copyOf(diagnostics);
    }
}
