package meshlog.gatewayapi.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The Istio sample files copied into the test resources. */
public final class CorpusFiles {

    private CorpusFiles() {
    }

    /** Every file of valid config: Istio's valid validation documents and all of Bookinfo. */
    public static List<String> validSamples() {
        List<String> out = new ArrayList<>();
        for (String kind : IstioCorpusTest.KINDS) {
            out.add("istio/validation-crds/" + kind + "-valid.yaml");
        }
        BookinfoTest.networking().forEach(f -> out.add("istio/bookinfo/" + f));
        BookinfoTest.gatewayApi().forEach(f -> out.add("istio/bookinfo/" + f));
        return out;
    }

    /** meshlog's own invalid-case files ({@code invalid-cases/*.yaml}), as resource names. */
    public static List<String> invalidCases() throws IOException, java.net.URISyntaxException {
        java.nio.file.Path dir = java.nio.file.Path.of(CorpusFiles.class.getClassLoader().getResource("invalid-cases")
                .toURI());
        try (var files = java.nio.file.Files.list(dir)) {
            return files.map(f -> "invalid-cases/" + f.getFileName()).filter(f -> f.endsWith(".yaml")).sorted()
                    .toList();
        }
    }

    public static String read(String resource) throws IOException {
        try (InputStream in = CorpusFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
