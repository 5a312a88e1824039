package meshlog.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import meshlog.gatewayapi.ConfigCompiler;

/** The config files named on a command line: files as given, and the config files under directories. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    /** @return file name → bytes, or null after printing why an input cannot be read */
    static Map<String, byte[]> read(List<String> paths, String command, PrintStream err) {
        Map<String, byte[]> files = new TreeMap<>();
        for (String p : paths) {
            Path path = Path.of(p);
            if (!Files.isReadable(path)) {
                err.println("meshlog " + command + ": cannot read " + p + ": no such file or directory");
                return null;
            }
            try (Stream<Path> walk = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    if (Files.isDirectory(path) && !ConfigCompiler.isConfigFile(path.relativize(f).toString())) {
                        continue;
                    }
                    files.put(f.toString(), Files.readAllBytes(f));
                }
            } catch (IOException e) {
                err.println("meshlog " + command + ": cannot read " + p + ": " + e.getMessage());
                return null;
            }
        }
        return files;
    }
}
