package meshlog.xds.snapshot;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import meshlog.configstore.snapshot.ScopeSnapshot;

/** The two SDS secrets Istio serves every workload: {@code default} (its key and chain) and {@code ROOTCA}. */
public final class SecretBuilder {

    public static final String DEFAULT = meshlog.xdscheck.SecretNames.DEFAULT;
    public static final String ROOTCA = meshlog.xdscheck.SecretNames.ROOTCA;

    private SecretBuilder() {
    }

    public static List<Secret> secrets(String certificateChainPem, String privateKeyPem, String trustBundlePem) {
        Secret workload = Secret.newBuilder()
                .setName(DEFAULT)
                .setTlsCertificate(TlsCertificate.newBuilder()
                        .setCertificateChain(inline(certificateChainPem))
                        .setPrivateKey(inline(privateKeyPem)))
                .build();
        Secret roots = Secret.newBuilder()
                .setName(ROOTCA)
                .setValidationContext(CertificateValidationContext.newBuilder().setTrustedCa(inline(trustBundlePem)))
                .build();
        return List.of(workload, roots);
    }

    /** The SDS version: a hash of the public parts only (a new key always comes with a new certificate). */
    public static String version(String certificateChainPem, String trustBundlePem) {
        return ScopeSnapshot.hash((certificateChainPem + "\n" + trustBundlePem).getBytes(StandardCharsets.UTF_8))
                .substring(0, 16);
    }

    private static DataSource inline(String pem) {
        return DataSource.newBuilder().setInlineBytes(ByteString.copyFrom(pem, StandardCharsets.UTF_8)).build();
    }
}
