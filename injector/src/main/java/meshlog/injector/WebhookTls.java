package meshlog.injector;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Principal;
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
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import meshlog.ca.CertificateAuthority;
import meshlog.ca.ServingCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's TLS certificate: from PEM files ({@code --cert}, {@code --key}, read again when they change, as a
 * mounted Secret does), or issued by the mesh's CA for the injector Service's DNS names and renewed at half its
 * life, as the CA server's own. The key never leaves this process and never reaches a log line.
 */
public final class WebhookTls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.injector.tls");

    /** The names the API server calls the webhook by (deploy/kubernetes/workload-cluster/injector.yaml). */
    public static final List<String> DNS_NAMES = List.of("meshlog-injector", "meshlog-injector.meshlog-system",
            "meshlog-injector.meshlog-system.svc");

    private record Identity(X509Certificate[] chain, PrivateKey key) {
    }

    private final AtomicReference<Identity> current = new AtomicReference<>();
    private final ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meshlog-injector-tls");
        t.setDaemon(true);
        return t;
    });
    private final SSLContext context;
    /** fromFiles: the certificate and key files, and their modification times when last read. */
    private Path[] files;
    private long stamp;

    private WebhookTls() {
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {new Keys()}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    /** The certificate and key in PEM files; checked every minute and reloaded when either file changed. */
    public static WebhookTls fromFiles(Path cert, Path key) {
        WebhookTls tls = new WebhookTls();
        tls.files = new Path[] {cert, key};
        tls.stamp = stamp(cert, key);
        tls.current.set(load(cert, key));
        tls.refresh.scheduleWithFixedDelay(tls::reloadIfChanged, 1, 1, TimeUnit.MINUTES);
        return tls;
    }

    /**
     * Reads the files again if either changed since last read: true when a new certificate is served. A file that
     * does not read as a certificate or key keeps the one served (a Secret's files are replaced one at a time).
     */
    synchronized boolean reloadIfChanged() {
        long now = stamp(files[0], files[1]);
        if (now == stamp) {
            return false;
        }
        try {
            current.set(load(files[0], files[1]));
            stamp = now;
            LOG.info("reloaded the webhook certificate from {}", files[0]);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("cannot reload the webhook certificate, keeping the one served: {}", e.getMessage());
            return false;
        }
    }

    /** A certificate issued by {@code ca} under {@code cluster}'s intermediate, renewed at half its life. */
    public static WebhookTls fromCa(CertificateAuthority ca, String cluster, Clock clock) {
        WebhookTls tls = new WebhookTls();
        tls.renew(ca, cluster, clock);
        return tls;
    }

    public SSLContext context() {
        return context;
    }

    private void renew(CertificateAuthority ca, String cluster, Clock clock) {
        ServingCertificate cert = ca.issueServing(cluster, DNS_NAMES);
        current.set(new Identity(certificates(cert.certificateChainPem(), "the CA's certificate"),
                privateKey(cert.privateKeyPem(), "the CA's key")));
        Duration life = Duration.between(cert.notBefore(), cert.notAfter());
        long delay = Math.max(1, Duration.between(clock.instant(), cert.notBefore().plus(life.dividedBy(2)))
                .toSeconds());
        refresh.schedule(() -> {
            try {
                renew(ca, cluster, clock);
            } catch (RuntimeException e) {
                LOG.warn("cannot renew the webhook certificate, retrying in a minute: {}", e.getMessage());
                refresh.schedule(() -> renew(ca, cluster, clock), 1, TimeUnit.MINUTES);
            }
        }, delay, TimeUnit.SECONDS);
    }

    private static long stamp(Path cert, Path key) {
        try {
            return Files.getLastModifiedTime(cert).toMillis() * 31 + Files.getLastModifiedTime(key).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    private static Identity load(Path cert, Path key) {
        try {
            return new Identity(certificates(Files.readString(cert, StandardCharsets.US_ASCII), cert.toString()),
                    privateKey(Files.readString(key, StandardCharsets.US_ASCII), key.toString()));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + e.getMessage(), e);
        }
    }

    static X509Certificate[] certificates(String pem, String where) {
        try {
            X509Certificate[] chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream().map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            if (chain.length == 0) {
                throw new IllegalArgumentException(where + " holds no PEM certificate");
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " is not a PEM certificate chain: " + e.getMessage());
        }
    }

    /** A PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}), EC or RSA. */
    static PrivateKey privateKey(String pem, String where) {
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(where + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it"
                    + " with: openssl pkcs8 -topk8 -nocrypt -in KEY");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27,
                    pem.indexOf("-----END PRIVATE KEY-----")).replaceAll("\\s", ""));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(where + ": the PEM key is not base64"); // no key bytes in messages
        }
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // the next algorithm
            }
        }
        throw new IllegalArgumentException(where + " is neither an EC nor an RSA PKCS#8 key");
    }

    /** Serves whatever {@link #current} holds at the handshake, so a renewal needs no restart. */
    private final class Keys extends X509ExtendedKeyManager {
        private static final String ALIAS = "webhook";

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return alias(keyType);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return alias(keyType);
        }

        /** JSSE asks once per key type the client accepts; only the one the key is can be used. */
        private String alias(String keyType) {
            return current.get().key().getAlgorithm().equals(keyType) ? ALIAS : null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return current.get().chain();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return current.get().key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return alias(keyType) == null ? null : new String[] {ALIAS};
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    @Override
    public void close() {
        refresh.shutdownNow();
    }
}
