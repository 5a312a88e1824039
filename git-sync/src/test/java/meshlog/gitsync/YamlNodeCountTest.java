package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class YamlNodeCountTest {

    static long count(String yaml) {
        return YamlNodeCount.count(yaml.getBytes(StandardCharsets.UTF_8), Long.MAX_VALUE);
    }

    @Test
    void keysValuesListsAndMapsAreNodes() {
        assertThat(count("a: 1\n")).as("map, key, value").isEqualTo(3);
        assertThat(count("a: [x, y, z]\n")).as("map, key, list, 3 values").isEqualTo(6);
        assertThat(count("a: 1\n---\nb: 2\n")).as("two documents").isEqualTo(6);
    }

    @Test
    void anAliasCountsAsTheNodesItStandsFor() {
        // &x is a list of 4 nodes (list + 3 values); each of the 3 aliases adds 4.
        assertThat(count("a: &x [1, 2, 3]\nb: [*x, *x, *x]\n")).isEqualTo(1 + 1 + 4 + 1 + 1 + 3 * 4);
        assertThat(count("a: &s v\nb: *s\n")).isEqualTo(5);
    }

    @Test
    void countingStopsPastTheBudgetAndAtASyntaxError() {
        assertThat(YamlNodeCount.count(("l: [" + "a,".repeat(100_000) + "a]").getBytes(StandardCharsets.UTF_8), 10))
                .isEqualTo(11);
        assertThat(count("a: 1\nb: [\n")).as("up to the mistake").isLessThan(10);
    }
}
