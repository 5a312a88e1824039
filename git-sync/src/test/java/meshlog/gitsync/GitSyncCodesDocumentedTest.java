package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every code git-sync can record is listed, once, in docs/diagnostics.md (as gateway-api's test does for its). */
class GitSyncCodesDocumentedTest {

    private static final Pattern CODE_LITERAL = Pattern.compile("\"([A-Z]{2}[0-9]{4})\"");
    private static final Pattern DOC_ROW = Pattern.compile("(?m)^\\| ([A-Z]{2}[0-9]{4}) \\|");

    @Test
    void everyCodeInTheSourceIsDocumentedExactlyOnce() throws IOException {
        Set<String> inSource = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = CODE_LITERAL.matcher(Files.readString(f));
                while (m.find()) {
                    inSource.add(m.group(1));
                }
            }
        }
        List<String> documented = new ArrayList<>();
        Matcher m = DOC_ROW.matcher(Files.readString(Path.of("../docs/diagnostics.md")));
        while (m.find()) {
            documented.add(m.group(1));
        }

        assertThat(inSource).as("codes found in git-sync's source").containsExactly("GS0001", "GS0002", "GS0003",
                "GS0004", "GS0005", "GS0006", "GS0007", "GS0008", "GS0009", "GS0010", "GS0011", "ML0000", "ML0007", "ML0010");
        inSource.forEach(code -> assertThat(documented).as(code).containsOnlyOnce(code));
    }
}
