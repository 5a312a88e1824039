package meshlog.reconciler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.PeerAuthentication;
import meshlog.gatewayapi.model.PeerAuthentication.MtlsMode;
import meshlog.gatewayapi.model.PolicyTarget.WorkloadSelector;
import meshlog.reconciler.ir.InboundTlsIr;
import meshlog.reconciler.ir.InboundTlsIr.Mode;
import meshlog.reconciler.ir.TranslationNote;
import org.junit.jupiter.api.Test;

class PeerAuthenticationTranslatorTest {

    static final ProxyScope REVIEWS = ProxyScope.sidecar("shop", Map.of("app", "reviews", "version", "v1"),
            ProxyScope.Interception.REDIRECT);

    static PeerAuthentication pa(String namespace, String name, Map<String, String> selector, MtlsMode mode,
                                 Map<Integer, MtlsMode> ports) {
        return new PeerAuthentication(Model.meta(namespace, name), selector == null ? null
                : new WorkloadSelector(selector), mode, ports);
    }

    static InboundTlsIr resolve(List<TranslationNote> notes, PeerAuthentication... policies) {
        List<PeerAuthentication> sorted = new ArrayList<>(List.of(policies));
        sorted.sort(Comparator.comparing(PeerAuthentication::key));
        return PeerAuthenticationTranslator.translate(sorted, REVIEWS, notes);
    }

    static InboundTlsIr resolve(PeerAuthentication... policies) {
        return resolve(new ArrayList<>(), policies);
    }

    @Test
    void nothingWrittenIsPermissiveAsInIstio() {
        assertThat(resolve()).isEqualTo(InboundTlsIr.PERMISSIVE);
    }

    @Test
    void theMeshPolicyIsTheRootNamespacesSelectorLessOne() {
        assertThat(resolve(pa("istio-system", "default", null, MtlsMode.STRICT, Map.of())).mode())
                .isEqualTo(Mode.STRICT);
        // Selector-less elsewhere than the workload's namespace, or in the root namespace with a selector: not it.
        assertThat(resolve(pa("other", "default", null, MtlsMode.STRICT, Map.of()),
                pa("istio-system", "sel", Map.of("app", "reviews"), MtlsMode.STRICT, Map.of())).mode())
                .isEqualTo(Mode.PERMISSIVE);
    }

    @Test
    void namespaceOverMeshAndWorkloadOverNamespaceUnsetInheriting() {
        PeerAuthentication mesh = pa("istio-system", "default", null, MtlsMode.STRICT, Map.of());
        PeerAuthentication ns = pa("shop", "default", null, MtlsMode.DISABLE, Map.of());
        PeerAuthentication workload = pa("shop", "reviews", Map.of("app", "reviews"), MtlsMode.PERMISSIVE, Map.of());
        assertThat(resolve(mesh, ns).mode()).isEqualTo(Mode.DISABLE);
        assertThat(resolve(mesh, ns, workload).mode()).isEqualTo(Mode.PERMISSIVE);
        PeerAuthentication unsetWorkload = pa("shop", "reviews", Map.of("app", "reviews"), MtlsMode.UNSET, Map.of());
        assertThat(resolve(mesh, unsetWorkload).mode()).isEqualTo(Mode.STRICT);
        PeerAuthentication unsetNs = pa("shop", "default", null, MtlsMode.UNSET, Map.of());
        assertThat(resolve(unsetNs).mode()).isEqualTo(Mode.PERMISSIVE);
    }

    @Test
    void aSelectorMustMatchTheWorkloadsLabels() {
        assertThat(resolve(pa("shop", "ratings", Map.of("app", "ratings"), MtlsMode.STRICT, Map.of())).mode())
                .isEqualTo(Mode.PERMISSIVE);
        assertThat(resolve(pa("shop", "v1", Map.of("version", "v1"), MtlsMode.STRICT, Map.of())).mode())
                .isEqualTo(Mode.STRICT);
    }

    @Test
    void portLevelMtlsOfTheWorkloadPolicySetsSinglePortsUnsetMeaningTheWorkloadsMode() {
        InboundTlsIr tls = resolve(pa("istio-system", "default", null, MtlsMode.DISABLE, Map.of()),
                pa("shop", "reviews", Map.of("app", "reviews"), MtlsMode.STRICT,
                        Map.of(8080, MtlsMode.DISABLE, 9090, MtlsMode.UNSET, 7070, MtlsMode.PERMISSIVE)));
        assertThat(tls.mode()).isEqualTo(Mode.STRICT);
        assertThat(tls.modeFor(8080)).isEqualTo(Mode.DISABLE);
        assertThat(tls.modeFor(9090)).isEqualTo(Mode.STRICT);
        assertThat(tls.modeFor(7070)).isEqualTo(Mode.PERMISSIVE);
        assertThat(tls.modeFor(1234)).isEqualTo(Mode.STRICT);
    }

    @Test
    void ofTwoAtOneLevelTheFirstByNameAppliesAndTheOtherIsNoted() {
        List<TranslationNote> notes = new ArrayList<>();
        InboundTlsIr tls = resolve(notes, pa("shop", "b", Map.of("app", "reviews"), MtlsMode.DISABLE, Map.of()),
                pa("shop", "a", Map.of("version", "v1"), MtlsMode.STRICT, Map.of()));
        assertThat(tls.mode()).isEqualTo(Mode.STRICT);
        assertThat(notes).singleElement().satisfies(n -> {
            assertThat(n.resource()).isEqualTo("PeerAuthentication shop/b");
            assertThat(n.message()).contains("PeerAuthentication shop/a");
        });
    }

    @Test
    void autoMtlsIsLeftOutForAServiceWhoseNamespaceOrMeshPolicyIsDisable() {
        java.util.function.Function<meshlog.reconciler.ir.BackendIr, String> ns = b -> b.ref().host().split("\\.")[1];
        meshlog.reconciler.ir.BackendIr shop = backend("reviews.shop.svc.cluster.local",
                meshlog.reconciler.ir.UpstreamTlsIr.autoMtls(List.of()));
        meshlog.reconciler.ir.BackendIr legacy = backend("old.legacy.svc.cluster.local",
                meshlog.reconciler.ir.UpstreamTlsIr.autoMtls(List.of()));
        meshlog.reconciler.ir.BackendIr written = backend("new.legacy.svc.cluster.local",
                new meshlog.reconciler.ir.UpstreamTlsIr(meshlog.reconciler.ir.UpstreamTlsIr.Mode.ISTIO_MUTUAL, false,
                        List.of(), "", "", "", "", false, ""));
        List<PeerAuthentication> policies = List.of(pa("istio-system", "default", null, MtlsMode.DISABLE, Map.of()),
                pa("shop", "default", null, MtlsMode.STRICT, Map.of()),
                // A workload policy does not turn auto mTLS off: the client cannot know which workload it reaches.
                pa("shop", "reviews", Map.of("app", "reviews"), MtlsMode.DISABLE, Map.of()));
        List<meshlog.reconciler.ir.BackendIr> out = PeerAuthenticationTranslator.inferAutoMtls(
                List.of(shop, legacy, written), policies, ns);
        assertThat(out.get(0).policy().tls()).isNotNull();
        assertThat(out.get(1).policy().tls()).isNull();
        assertThat(out.get(2).policy().tls()).isEqualTo(written.policy().tls());
    }

    static meshlog.reconciler.ir.BackendIr backend(String host, meshlog.reconciler.ir.UpstreamTlsIr tls) {
        return new meshlog.reconciler.ir.BackendIr(new meshlog.reconciler.ir.BackendRef(host, 80, ""), List.of(), false,
                meshlog.reconciler.ir.ClusterPolicyIr.UNSET.withTls(tls));
    }
}
