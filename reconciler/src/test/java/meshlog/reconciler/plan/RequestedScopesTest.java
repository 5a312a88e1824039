package meshlog.reconciler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.scope.ScopeRequest;
import org.junit.jupiter.api.Test;

class RequestedScopesTest {

    static ScopeRequest request(String cluster, int pod) {
        return new ScopeRequest(cluster, ProxyScope.sidecar("demo", Map.of("pod", "p" + pod),
                ProxyScope.Interception.REDIRECT));
    }

    @Test
    void aClusterHoldsAtMostTheCapAndOthersAreNotAffected() {
        RequestedScopes scopes = new RequestedScopes();
        for (int i = 0; i < RequestedScopes.MAX_PER_CLUSTER; i++) {
            assertThat(scopes.add(request("east", i))).isEqualTo(RequestedScopes.Outcome.ADDED);
        }

        assertThat(scopes.add(request("east", RequestedScopes.MAX_PER_CLUSTER))).isEqualTo(RequestedScopes.Outcome.FULL);
        assertThat(scopes.add(request("east", 0))).isEqualTo(RequestedScopes.Outcome.KNOWN);
        assertThat(scopes.add(request("west", 0))).isEqualTo(RequestedScopes.Outcome.ADDED);
        assertThat(scopes.snapshot().get("east")).hasSize(2_000)
                .doesNotContain(request("east", RequestedScopes.MAX_PER_CLUSTER).scope());
        assertThat(scopes.snapshot().get("west")).containsExactly(request("west", 0).scope());
    }

    @Test
    void aSnapshotTakenEarlierDoesNotChange() {
        RequestedScopes scopes = new RequestedScopes();
        scopes.add(request("east", 1));
        Map<String, java.util.Set<ProxyScope>> before = scopes.snapshot();

        scopes.add(request("east", 2));

        assertThat(before.get("east")).containsExactly(request("east", 1).scope());
        assertThat(scopes.snapshot().get("east")).hasSize(2);
    }
}
