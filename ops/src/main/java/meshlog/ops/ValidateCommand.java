package meshlog.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;

/**
 * {@code meshlog validate PATH...}: the same validation git-sync applies to a commit, on files before they are
 * committed. Exit 0 without errors, 1 with errors, 2 when an input cannot be read. {@code -o json} prints the
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
        Map<String, byte[]> files = ConfigFiles.read(paths, "validate", err);
        if (files == null) {
            return 2;
        }
        CompiledConfig compiled = ConfigCompiler.compile(files);
        if (json) {
            try {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(compiled.diagnostics()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("diagnostics are plain records", e);
            }
            return compiled.hasErrors() ? 1 : 0;
        }
        for (Diagnostic d : compiled.diagnostics()) {
            out.println(d.format());
        }
        out.println(files.size() + " files, " + compiled.resources().size() + " objects, "
                + compiled.errors().size() + " errors, " + compiled.warnings().size() + " warnings");
        return compiled.hasErrors() ? 1 : 0;
    }
}
