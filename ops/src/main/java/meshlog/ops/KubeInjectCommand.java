package meshlog.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshlog.injector.InjectionException;
import meshlog.injector.KubeInject;

/**
 * {@code meshlog kube-inject -f FILE [-o FILE] --cluster NAME}: {@code istioctl kube-inject}, the webhook's
 * mutation applied offline to the workloads in a YAML file ({@code -f -}: standard input). Exit 1 when a document
 * cannot be injected, with its file, line and object; nothing is written then.
 */
final class KubeInjectCommand {

    /** A manifest larger than this is not one a person reviews: refused rather than read into memory. */
    static final int MAX_INPUT_BYTES = 32 * 1024 * 1024;

    private KubeInjectCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Set<String> known = new HashSet<>(InjectionFlags.FLAGS);
        known.addAll(Set.of("f", "filename", "o", "output"));
        Flags f = Flags.parse(args, known, Set.of());
        if (!f.positional().isEmpty()) {
            throw new Flags.UsageException("unexpected argument " + f.positional().get(0));
        }
        String input = f.get("f", f.get("filename", null));
        if (input == null) {
            throw new Flags.UsageException("kube-inject needs -f FILE (or -f - for standard input)");
        }
        var settings = InjectionFlags.parse(f);
        String text = read(input);
        KubeInject.Result r;
        try {
            r = KubeInject.inject(text, input.equals("-") ? "<stdin>" : input, settings);
        } catch (InjectionException e) {
            err.println("meshlog kube-inject: " + e.getMessage());
            return 1;
        }
        r.notes().forEach(n -> err.println("kube-inject: " + n));
        String output = f.get("o", f.get("output", null));
        if (output == null || output.equals("-")) {
            out.print(r.yaml());
            out.flush();
        } else {
            Files.writeString(Path.of(output), r.yaml());
        }
        return 0;
    }

    private static String read(String input) throws IOException {
        try (InputStream in = input.equals("-") ? System.in : Files.newInputStream(Path.of(input))) {
            byte[] bytes = in.readNBytes(MAX_INPUT_BYTES + 1);
            if (bytes.length > MAX_INPUT_BYTES) {
                throw new Flags.UsageException(input + " is larger than " + MAX_INPUT_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Flags.UsageException(input + " does not exist");
        }
    }
}
