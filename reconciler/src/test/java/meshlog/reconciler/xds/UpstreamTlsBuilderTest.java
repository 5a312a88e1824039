package meshlog.reconciler.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.List;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.BackendRef;
import meshlog.reconciler.ir.ClusterPolicyIr;
import meshlog.reconciler.ir.UpstreamTlsIr;
import org.junit.jupiter.api.Test;

/** The TLS contexts that name files on the proxy's machine, which the golden files (checked by Envoy) leave out. */
class UpstreamTlsBuilderTest {

    static UpstreamTlsContext context(UpstreamTlsIr tls, boolean http2) throws Exception {
        BackendIr backend = new BackendIr(new BackendRef("payments.example.com", 443, ""), List.of(), http2,
                ClusterPolicyIr.UNSET.withTls(tls));
        Cluster c = ClusterBuilder.build(backend);
        assertThat(c.getTransportSocketMatchesList()).isEmpty();
        assertThat(c.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
        return c.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    }

    @Test
    void mutualReadsTheCertificateKeyCaAndCrlFilesTheRuleNames() throws Exception {
        UpstreamTlsContext ctx = context(new UpstreamTlsIr(UpstreamTlsIr.Mode.MUTUAL, false,
                List.of("payments.example.com", "spiffe://cluster.local/ns/pay/sa/api"), "payments.example.com",
                "/etc/certs/client.pem", "/etc/certs/key.pem", "/etc/certs/ca.pem", false, "/etc/certs/crl.pem"),
                true);
        CommonTlsContext common = ctx.getCommonTlsContext();
        assertThat(ctx.getSni()).isEqualTo("payments.example.com");
        assertThat(common.getTlsCertificates(0).getCertificateChain().getFilename()).isEqualTo("/etc/certs/client.pem");
        assertThat(common.getTlsCertificates(0).getPrivateKey().getFilename()).isEqualTo("/etc/certs/key.pem");
        assertThat(common.getValidationContext().getTrustedCa().getFilename()).isEqualTo("/etc/certs/ca.pem");
        assertThat(common.getValidationContext().getCrl().getFilename()).isEqualTo("/etc/certs/crl.pem");
        assertThat(common.getValidationContext().getMatchTypedSubjectAltNamesList())
                .extracting(SubjectAltNameMatcher::getSanType, m -> m.getMatcher().getExact())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SubjectAltNameMatcher.SanType.DNS,
                        "payments.example.com"), org.assertj.core.groups.Tuple.tuple(
                        SubjectAltNameMatcher.SanType.URI, "spiffe://cluster.local/ns/pay/sa/api"));
        assertThat(common.getAlpnProtocolsList()).containsExactly("h2");
        assertThat(common.getTlsCertificateSdsSecretConfigsList()).isEmpty();
    }

    @Test
    void simpleWithoutCaCertificatesVerifiesAgainstTheSystemRoots() throws Exception {
        UpstreamTlsContext ctx = context(new UpstreamTlsIr(UpstreamTlsIr.Mode.SIMPLE, false, List.of(), "", "", "",
                "", false, ""), false);
        assertThat(ctx.getCommonTlsContext().getValidationContext().getTrustedCa().getFilename())
                .isEqualTo(UpstreamTlsBuilder.SYSTEM_ROOTS);
        assertThat(ctx.getCommonTlsContext().getTlsCertificatesList()).isEmpty();
        assertThat(ctx.getCommonTlsContext().getAlpnProtocolsList()).isEmpty();
    }

    @Test
    void mutualWithoutFilesSendsNoClientCertificateRatherThanABrokenOne() throws Exception {
        UpstreamTlsContext ctx = context(new UpstreamTlsIr(UpstreamTlsIr.Mode.MUTUAL, false, List.of(), "", "", "",
                "/etc/certs/ca.pem", false, ""), false);
        assertThat(ctx.getCommonTlsContext().getTlsCertificatesList()).isEmpty();
    }

    @Test
    void istioMutualFromTheRuleIsTheClustersSocketWithSniTheClusterName() throws Exception {
        UpstreamTlsContext ctx = context(new UpstreamTlsIr(UpstreamTlsIr.Mode.ISTIO_MUTUAL, false,
                List.of("spiffe://cluster.local/ns/pay/sa/api"), "", "", "", "", false, ""), false);
        assertThat(ctx.getSni()).isEqualTo("outbound|443||payments.example.com");
        CommonTlsContext common = ctx.getCommonTlsContext();
        assertThat(common.getAlpnProtocolsList()).containsExactly("istio-peer-exchange", "istio");
        assertThat(common.getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("default");
        assertThat(common.getTlsCertificateSdsSecretConfigs(0).getSdsConfig().hasAds()).isTrue();
        assertThat(common.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName())
                .isEqualTo("ROOTCA");
    }
}
