package meshlog.gatewayapi.security;

import static meshlog.gatewayapi.security.SecurityTestSupport.acceptedAs;
import static meshlog.gatewayapi.security.SecurityTestSupport.compile;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.PeerAuthentication;
import meshlog.gatewayapi.model.PeerAuthentication.MtlsMode;
import org.junit.jupiter.api.Test;

class PeerAuthenticationTest {

    @Test
    void readsEveryField() {
        PeerAuthentication pa = acceptedAs(PeerAuthentication.class, """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: cart, namespace: shop}
                spec:
                  selector:
                    matchLabels: {app: cart, version: v2}
                  mtls:
                    mode: STRICT
                  portLevelMtls:
                    "9090": {mode: DISABLE}
                    "8080": {mode: PERMISSIVE}
                    "15021": {}
                """);

        assertThat(pa.metadata().namespace()).isEqualTo("shop");
        assertThat(pa.selector().matchLabels()).containsExactly(Map.entry("app", "cart"), Map.entry("version", "v2"));
        assertThat(pa.mode()).isEqualTo(MtlsMode.STRICT);
        assertThat(pa.portLevelMtls()).containsExactly(Map.entry(8080, MtlsMode.PERMISSIVE),
                Map.entry(9090, MtlsMode.DISABLE), Map.entry(15021, MtlsMode.UNSET));
    }

    @Test
    void aNamespaceWidePolicyDefaultsToUnsetAndV1beta1IsAccepted() {
        PeerAuthentication pa = acceptedAs(PeerAuthentication.class, """
                apiVersion: security.istio.io/v1beta1
                kind: PeerAuthentication
                metadata: {name: default, namespace: istio-system}
                spec: {}
                """);

        assertThat(pa.selector()).isNull();
        assertThat(pa.mode()).isEqualTo(MtlsMode.UNSET);
        assertThat(pa.portLevelMtls()).isEmpty();
    }

    @Test
    void anUnknownFieldIsAnErrorNotAWarning() {
        var c = compile("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: cart, namespace: shop}
                spec:
                  mtls: {mode: STRICT}
                  peers: [{mtls: {}}]
                """);

        assertThat(c.errors()).extracting(Diagnostic::code, Diagnostic::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ML0003", "spec.peers"));
    }

    @Test
    void isEnforcedSoNoNotEnforcedWarning() {
        var c = compile("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: istio-system}
                spec:
                  mtls: {mode: STRICT}
                """);

        assertThat(c.errors()).isEmpty();
        assertThat(c.warnings()).isEmpty();
    }
}
