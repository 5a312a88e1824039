package meshlog.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.scope.ProxyScope;
import meshlog.configstore.scope.ScopeRequest;
import meshlog.configstore.state.ConfigState;
import meshlog.xdscheck.TypeUrls;
import org.junit.jupiter.api.Test;

/**
 * A gateway's scope from request to snapshot: reported over {@code meshlog.scopes} (its kind survives the record),
 * computed by {@link SnapshotComputer#computeAll} under its own id, with the listeners of the Gateways its labels
 * select, and shared with a gateway whose other labels no Gateway selects on.
 */
class GatewayScopesTest {

    static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: web, namespace: shop}
            spec:
              hosts: [web.shop.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 8080, name: http, protocol: HTTP}]
              endpoints: [{address: 10.0.0.1}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: public, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web, namespace: shop}
            spec:
              hosts: [shop.example.com]
              gateways: [istio-system/public]
              http: [{route: [{destination: {host: web.shop.svc.cluster.local}}]}]
            """;

    @Test
    void aReportedGatewayScopeIsComputedWithItsGatewaysListeners() {
        ProxyScope gateway = ProxyScope.router("istio-system", Map.of("istio", "ingressgateway", "pod", "a"));
        ScopeRequest decoded = ScopeRequest.decode(new ScopeRequest("default", gateway).encode());
        assertThat(decoded.scope()).isEqualTo(gateway);
        ProxyScope other = ProxyScope.router("istio-system", Map.of("istio", "ingressgateway", "pod", "b"));
        ProxyScope unselected = ProxyScope.router("istio-system", Map.of("istio", "egressgateway"));
        ConfigState state = TestConfigs.state(CONFIG);
        List<SnapshotResult> all = SnapshotComputer.computeAll(state, "default", "c1",
                Set.of(decoded.scope(), other, unselected));
        SnapshotResult a = byId(all, gateway.id());
        assertThat(a.snapshot().resources().get(TypeUrls.LISTENER)).containsOnlyKeys("0.0.0.0_80");
        assertThat(a.snapshot().resources().get(TypeUrls.ROUTE)).containsOnlyKeys("http.80");
        assertThat(byId(all, other.id()).snapshot().version()).as("label pod is read by no Gateway")
                .isEqualTo(a.snapshot().version());
        assertThat(byId(all, unselected.id()).snapshot().resources().get(TypeUrls.LISTENER)).isEmpty();
        assertThat(byId(all, unselected.id()).notes()).anyMatch(n -> n.message().contains("no Gateway server"));
        // sidecars keep their view: the VirtualService names no mesh
        String sidecar = ProxyScope.sidecar("shop", Map.of(), ProxyScope.Interception.NONE).id();
        assertThat(byId(all, sidecar).snapshot().resources().get(TypeUrls.ROUTE).keySet())
                .noneMatch(n -> n.startsWith("http."));
    }

    private static SnapshotResult byId(List<SnapshotResult> all, String id) {
        return all.stream().filter(r -> r.snapshot().scope().equals(id)).findFirst().orElseThrow();
    }
}
