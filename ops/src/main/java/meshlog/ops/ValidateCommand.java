package meshlog.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import meshlog.configstore.LogSafe;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gitsync.CommitFiles;
import meshlog.gitsync.TreeLimits;

/**
 * {@code meshlog validate PATH...}: the same validation git-sync applies to a commit, on files before they are
 * committed, read the way git-sync reads a commit's tree ({@link LocalTree}: the same limits, links never followed). Exit 0 without errors, 1 with errors, 2 when an input cannot be read. {@code -o json} prints the
 * diagnostics as one JSON array (the fields of {@link Diagnostic}) for editors and CI annotations.
 */
final class ValidateCommand {

    private ValidateCommand() {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS); // Diagnostic.isError() is derived, not data

    static int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> paths = new ArrayList<>();
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-o") || a.equals("--output")) {
                String format = i + 1 < args.size() ? args.get(++i) : "";
                if (!format.equals("json") && !format.equals("text")) {
                    err.println("meshlog validate: -o takes json or text, got \"" + format + "\"");
                    return 2;
                }
                json = format.equals("json");
            } else {
                paths.add(a);
            }
        }
        if (paths.isEmpty()) {
            err.println("meshlog validate: give at least one file or directory");
            return 2;
        }
        List<Path> roots = LocalTree.existing(paths, "validate", err);
        if (roots == null) {
            return 2;
        }
        CommitFiles files;
        try {
            files = LocalTree.read(roots, TreeLimits.DEFAULTS);
        } catch (IOException e) {
            err.println("meshlog validate: cannot read " + LogSafe.value(e.getMessage()));
            return 2;
        }
        CompiledConfig compiled = files.compile();
        if (json) {
            try {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(compiled.diagnostics()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("diagnostics are plain records", e);
            }
            return compiled.hasErrors() ? 1 : 0;
        }
        for (Diagnostic d : compiled.diagnostics()) {
            out.println(LogSafe.value(d.format(), 2_000));
        }
        out.println(files.files().size() + " files, " + compiled.resources().size() + " objects, "
                + compiled.errors().size() + " errors, " + compiled.warnings().size() + " warnings");
        return compiled.hasErrors() ? 1 : 0;
    }
}
