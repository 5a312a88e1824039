package meshlog.reconciler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.ListenerPort;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.Sidecar.EgressListener;
import meshlog.gatewayapi.model.Sidecar.OutboundTrafficPolicy;
import meshlog.reconciler.ir.ServiceIr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SidecarEgressTest {

    static Sidecar sidecar(String namespace, Sidecar.WorkloadSelector selector, List<EgressListener> egress,
                           OutboundTrafficPolicy policy) {
        return new Sidecar(Model.meta(namespace, "sc"), selector, List.of(), egress, null, policy);
    }

    static ServiceIr service(String namespace, String host, int port) {
        return new ServiceIr(host, port, "http", "HTTP", "ServiceEntry " + namespace + "/x", List.of());
    }

    @ParameterizedTest(name = "{0} admits {1}/{2}: {3}")
    @CsvSource({
            "./*,                      demo,  a.demo.svc.cluster.local, true",
            "./*,                      other, a.other.svc.cluster.local, false",
            "*/*,                      other, a.other.svc.cluster.local, true",
            "other/*,                  other, a.other.svc.cluster.local, true",
            "other/a.other.svc.cluster.local, other, b.other.svc.cluster.local, false",
            "*/*.example.com,          ext,   www.example.com, true",
            "*/*.example.com,          ext,   example.com, false",
            "~/*,                      demo,  a.demo.svc.cluster.local, false",
            "demo/*,                   demo,  A.DEMO.svc.cluster.local, true",
    })
    void hostsAsIstioReadsThem(String host, String namespace, String service, boolean admitted) {
        SidecarEgress egress = new SidecarEgress(sidecar("demo", null,
                List.of(new EgressListener(null, "", null, List.of(host))), null));
        assertThat(egress.admits(service(namespace, service, 80))).isEqualTo(admitted);
    }

    @Test
    void exclusionsTakeOutWhatOtherHostsAdmit() {
        SidecarEgress egress = new SidecarEgress(sidecar("demo", null, List.of(new EgressListener(null, "", null,
                List.of("*/*", "~other/*", "~/secret.example.com"))), null));
        assertThat(egress.admits(service("demo", "a.demo.svc.cluster.local", 80))).isTrue();
        assertThat(egress.admits(service("other", "a.other.svc.cluster.local", 80))).isFalse();
        assertThat(egress.admits(service("ext", "secret.example.com", 80))).isFalse();
        assertThat(egress.admits(service("ext", "open.example.com", 80))).isTrue();
    }

    @Test
    void aPortListenerJudgesItsPortAloneAndTheCatchAllTheRest() {
        SidecarEgress egress = new SidecarEgress(sidecar("demo", null, List.of(
                new EgressListener(new ListenerPort(9090, "HTTP", "m", 0), "", null, List.of("other/*")),
                new EgressListener(null, "", null, List.of("./*"))), null));
        assertThat(egress.admits(service("demo", "a.demo.svc.cluster.local", 9090))).isFalse();
        assertThat(egress.admits(service("other", "m.other.svc.cluster.local", 9090))).isTrue();
        assertThat(egress.admits(service("demo", "a.demo.svc.cluster.local", 80))).isTrue();
        assertThat(egress.admits(service("other", "m.other.svc.cluster.local", 80))).isFalse();
    }

    @Test
    void noEgressAdmitsEverythingAndThePolicyDefaultsAreIstios() {
        assertThat(SidecarEgress.NONE.admits(service("x", "a.x.svc.cluster.local", 80))).isTrue();
        assertThat(SidecarEgress.NONE.registryOnly()).isFalse();
        assertThat(new SidecarEgress(sidecar("demo", null, List.of(), null)).registryOnly()).as("mesh default")
                .isFalse();
        assertThat(new SidecarEgress(sidecar("demo", null, List.of(), new OutboundTrafficPolicy(null, null)))
                .registryOnly()).as("the field's default").isTrue();
        assertThat(new SidecarEgress(sidecar("demo", null, List.of(), new OutboundTrafficPolicy(
                OutboundTrafficPolicy.Mode.ALLOW_ANY, null))).registryOnly()).isFalse();
    }

    @Test
    void theSelectorSidecarBeatsTheNamespacesWhichBeatsTheRootNamespaces() {
        Sidecar root = sidecar("istio-system", null, List.of(), null);
        Sidecar ns = sidecar("demo", null, List.of(), null);
        Sidecar selecting = sidecar("demo", new Sidecar.WorkloadSelector(Map.of("app", "a")), List.of(), null);
        ProxyScope a = ProxyScope.sidecar("demo", Map.of("app", "a", "pod", "p"), ProxyScope.Interception.REDIRECT);
        ProxyScope b = ProxyScope.sidecar("demo", Map.of("app", "b"), ProxyScope.Interception.REDIRECT);
        ProxyScope elsewhere = ProxyScope.sidecar("shop", Map.of("app", "a"), ProxyScope.Interception.REDIRECT);
        List<Sidecar> all = List.of(selecting, ns, root);
        assertThat(SidecarSelector.select(all, a, new java.util.ArrayList<>())).isSameAs(selecting);
        assertThat(SidecarSelector.select(all, b, new java.util.ArrayList<>())).isSameAs(ns);
        assertThat(SidecarSelector.select(all, elsewhere, new java.util.ArrayList<>())).isSameAs(root);
        assertThat(SidecarSelector.select(all, ProxyScope.GRPC, new java.util.ArrayList<>())).isNull();
    }
}
