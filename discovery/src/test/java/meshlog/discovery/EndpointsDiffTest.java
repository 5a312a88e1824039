package meshlog.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EndpointsDiffTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> described(List<EndpointsDiff.Write> writes) {
        return writes.stream().map(w -> w.key() + (w.tombstone() ? " tombstone" : " = "
                + new String(w.value(), StandardCharsets.UTF_8))).toList();
    }

    @Test
    void writesWhatChangedOrIsNewThenTombstonesWhatIsGone() {
        Map<String, byte[]> published = Map.of("c/a/x", b("1"), "c/a/y", b("2"), "c/b/z", b("3"));
        TreeMap<String, byte[]> wanted = new TreeMap<>(Map.of("c/a/x", b("1"), "c/a/y", b("2b"), "c/c/w", b("4")));
        assertThat(described(EndpointsDiff.between(published, wanted)))
                .containsExactly("c/a/y = 2b", "c/c/w = 4", "c/b/z tombstone");
    }

    @Test
    void nothingWhenTheTopicHoldsExactlyWhatIsWanted() {
        assertThat(EndpointsDiff.between(Map.of("c/a/x", b("1")), new TreeMap<>(Map.of("c/a/x", b("1"))))).isEmpty();
    }
}
