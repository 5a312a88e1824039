package meshlog.gitsync;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import meshlog.gatewayapi.parse.ConfigParser;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * How many YAML nodes a file holds, every alias counted as the nodes it stands for, from a streaming pass that
 * keeps no tree. What a compiled commit costs in memory follows its nodes, not its bytes (measured: ~165 bytes of
 * heap per node, so a 4 MiB file of {@code [a,a,a,...]} holds 330 MiB), so the per-commit budget is in nodes.
 */
final class YamlNodeCount {

    private static final YAMLFactory YAML = factory();

    /** An open container: the anchor it was given (or null) and the count when it started. */
    private record Open(String anchor, long start) {
    }

    private YamlNodeCount() {
    }

    /**
     * The file's nodes, counting stopped once past {@code budget}. A file the parser will refuse (syntax,
     * encoding, depth) is counted up to where it breaks: the compiler reports why.
     */
    static long count(byte[] yaml, long budget) {
        long n = 0;
        Map<String, Long> anchors = new HashMap<>();
        Deque<Open> open = new ArrayDeque<>();
        try (JsonParser p = YAML.createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null && n <= budget; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    n++;
                    continue;
                }
                if (open.isEmpty()) {
                    anchors.clear(); // a new document: anchors are scoped to theirs
                }
                YAMLParser y = (YAMLParser) p;
                if (y.isCurrentAlias()) {
                    n += anchors.getOrDefault(p.getText(), 1L);
                } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    open.push(new Open(y.getCurrentAnchor(), n));
                    n++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    Open o = open.pop();
                    if (o.anchor() != null) {
                        anchors.put(o.anchor(), n - o.start());
                    }
                } else {
                    if (y.getCurrentAnchor() != null) {
                        anchors.put(y.getCurrentAnchor(), 1L);
                    }
                    n++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // counted up to the mistake; the compiler names it
        }
        return n;
    }

    private static YAMLFactory factory() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        options.setCodePointLimit(ConfigParser.MAX_FILE_BYTES);
        return YAMLFactory.builder().loaderOptions(options).build();
    }
}
