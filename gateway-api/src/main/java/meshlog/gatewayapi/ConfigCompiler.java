package meshlog.gatewayapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.gatewayapi.parse.ConfigParser;
import meshlog.gatewayapi.parse.ParseResult;
import meshlog.gatewayapi.parse.ParsedResource;
import meshlog.gatewayapi.validate.ConfigValidator;

/**
 * Files to validated config: the one function git-sync and {@code meshlog validate} share, so a commit is judged
 * exactly as the command line judges it.
 */
public final class ConfigCompiler {

    /** Every object read, and every diagnostic (sorted by file and line). */
    public record CompiledConfig(List<ParsedResource> resources, List<Diagnostic> diagnostics) {
        public CompiledConfig {
            resources = List.copyOf(resources);
            diagnostics = diagnostics.stream().sorted(Diagnostic.BY_LOCATION).toList();
        }

        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }

        public List<Diagnostic> errors() {
            return diagnostics.stream().filter(Diagnostic::isError).toList();
        }

        public List<Diagnostic> warnings() {
            return diagnostics.stream().filter(d -> !d.isError()).toList();
        }
    }

    private ConfigCompiler() {
    }

    /** @param files file name (relative to the repository root) to content; only YAML files should be passed */
    public static CompiledConfig compile(Map<String, byte[]> files) {
        List<ParsedResource> resources = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        // Files parse independently, so in parallel; the results are taken in file order, so output is repeatable.
        List<ParseResult> parsed = new TreeMap<>(files).entrySet().parallelStream()
                .map(e -> ConfigParser.parseYaml(e.getKey(), e.getValue())).toList();
        for (ParseResult r : parsed) {
            resources.addAll(r.resources());
            diagnostics.addAll(r.diagnostics());
        }
        diagnostics.addAll(ConfigValidator.validate(resources));
        return new CompiledConfig(resources, diagnostics);
    }

    /**
     * Whether a repository path is config: every {@code *.yaml} and {@code *.yml} file is, except under a directory
     * whose name starts with a dot ({@code .github/}, {@code .gitlab-ci/}: tooling, not mesh config).
     */
    public static boolean isConfigFile(String path) {
        if (!path.endsWith(".yaml") && !path.endsWith(".yml")) {
            return false;
        }
        for (String segment : path.replace('\\', '/').split("/")) {
            if (segment.startsWith(".") && !segment.equals(".") && !segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
