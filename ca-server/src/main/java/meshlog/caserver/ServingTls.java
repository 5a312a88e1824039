package meshlog.caserver;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import meshlog.ca.CertificateAuthority;
import meshlog.ca.ServingCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of a control-plane port, the CA's and the distributors' alike: a serving certificate from the mesh CA
 * with istiod's DNS name (what istio-agent and {@code meshlog agent} check, whatever address they dial), replaced at
 * half its 24 h life without a restart, and client certificates checked against the mesh root. The serving key is
 * the control plane's own; it never leaves this process.
 */
public final class ServingTls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.ca.server");

    private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    private final ScheduledExecutorService renewals;
    private final ServerCredentials credentials;

    private ServingTls(CertificateAuthority ca, String cluster, TlsServerCredentials.ClientAuth clientAuth,
                       Clock clock) {
        renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshlog-serving-cert-" + cluster);
            t.setDaemon(true);
            return t;
        });
        renew(ca, cluster, clock);
        credentials = TlsServerCredentials.newBuilder().keyManager(keys).trustManager(trust(ca).getTrustManagers())
                .clientAuth(clientAuth).build();
    }

    /**
     * Issues the first serving certificate now and schedules its renewals.
     *
     * @param clientAuth OPTIONAL for the CA (token callers have no certificate yet), REQUIRE for xDS
     */
    public static ServingTls start(CertificateAuthority ca, String cluster, TlsServerCredentials.ClientAuth clientAuth,
                                   Clock clock) {
        return new ServingTls(ca, cluster, clientAuth, clock);
    }

    /** For {@code NettyServerBuilder.forAddress(address, credentials)}. */
    public ServerCredentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
        renewals.shutdownNow();
    }

    /** Installs a fresh serving certificate and schedules the next one at half its life. */
    private void renew(CertificateAuthority ca, String cluster, Clock clock) {
        ServingCertificate cert = ca.issueServing(cluster, CaServer.DNS_NAMES);
        keys.updateIdentityCredentials(certificates(cert.certificateChainPem()), privateKey(cert.privateKeyPem()));
        Duration life = Duration.between(cert.notBefore(), cert.notAfter());
        long delay = Math.max(1, Duration.between(clock.instant(), cert.notBefore().plus(life.dividedBy(2)))
                .toSeconds());
        renewals.schedule(() -> {
            try {
                renew(ca, cluster, clock);
            } catch (RuntimeException e) {
                LOG.warn("cannot renew a serving certificate, retrying in a minute: {}", e.toString());
                renewals.schedule(() -> renew(ca, cluster, clock), 1, TimeUnit.MINUTES);
            }
        }, delay, TimeUnit.SECONDS);
    }

    private static TrustManagerFactory trust(CertificateAuthority ca) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            X509Certificate[] roots = certificates(ca.trustBundlePem());
            for (int i = 0; i < roots.length; i++) {
                store.setCertificateEntry("mesh-root-" + i, roots[i]);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the mesh root", e);
        }
    }

    /** Every certificate of a PEM bundle, in order. */
    public static X509Certificate[] certificates(String pem) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream().map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an unreadable certificate", e);
        }
    }

    private static PrivateKey privateKey(String pem) {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(body)));
        } catch (GeneralSecurityException e) {
            // Without the cause: it could carry key bytes.
            throw new IllegalStateException("the CA returned an unreadable serving key");
        }
    }

}
