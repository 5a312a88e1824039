package meshlog.configstore.snapshot;

import static meshlog.configstore.snapshot.Snapshots.CLUSTER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ScopeSnapshotTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "_blob", "a/b", "a b", "é", "a\nb", "grpc%"})
    void refusesWhatIsNoScopeId(String scope) {
        assertThatThrownBy(() -> new ScopeSnapshot("east", scope, "v", null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a scope id");
    }

    @Test
    void scopeIdsAreAtMost200Characters() {
        assertThat(ScopeSnapshot.checkScope("s".repeat(200))).hasSize(200);
        assertThatThrownBy(() -> ScopeSnapshot.checkScope("s".repeat(201)))
                .hasMessageContaining("(201 chars)").hasMessageContaining("1 to 200 characters of [A-Za-z0-9._~-]");
        assertThatThrownBy(() -> ScopeSnapshot.checkScope(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resourcesAreCopiedSortedAndUnmodifiable() {
        Map<String, byte[]> byName = new HashMap<>(Map.of("b", bytes("b"), "a", bytes("a")));
        Map<String, Map<String, byte[]>> resources = new HashMap<>(Map.of(CLUSTER_TYPE, byName));
        ScopeSnapshot s = new ScopeSnapshot("east", "grpc", ScopeSnapshot.versionOf(resources), "c1", resources);
        byName.put("c", bytes("c"));

        assertThat(s.resources().get(CLUSTER_TYPE)).containsOnlyKeys("a", "b");
        assertThat(s.resources().get(CLUSTER_TYPE).keySet()).containsExactly("a", "b");
        assertThat(s.resourceCount()).isEqualTo(2);
        assertThatThrownBy(() -> s.resources().put("x", Map.of())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theVersionAlgorithmIsUnchanged() {
        // Pinned: the reconciler's golden version.txt files depend on it.
        assertThat(ScopeSnapshot.versionOf(Map.of(CLUSTER_TYPE, Map.of("a", bytes("ca")))))
                .isEqualTo(ScopeSnapshot.hash(bytes(CLUSTER_TYPE + "\na\n" + ScopeSnapshot.hash(bytes("ca")) + "\n"))
                        .substring(0, 16));
        assertThat(ScopeSnapshot.hash(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
