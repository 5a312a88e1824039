package meshlog.gatewayapi;

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

/** Every code the validator can emit is listed, once, in docs/diagnostics.md, where users look it up. */
class DiagnosticCodesDocumentedTest {

    private static final Pattern CODE_LITERAL = Pattern.compile("\"([A-Z]{2}[0-9]{4})\"");
    /** The first cell of a table row: one code, or several sharing a meaning ({@code GW0101 / SC0101}). */
    private static final Pattern DOC_ROW = Pattern.compile("(?m)^\\| ([A-Z]{2}[0-9]{4}(?:(?:, | / )[A-Z]{2}[0-9]{4})*) \\|");

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
            documented.addAll(List.of(m.group(1).split(", | / ")));
        }

        assertThat(inSource).as("codes found in the source").hasSizeGreaterThan(100);
        assertThat(documented).as("documented codes").containsAll(inSource).doesNotHaveDuplicates();
    }
}
