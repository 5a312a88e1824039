package meshlog.ops;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import meshlog.agent.Credentials;

/**
 * One mutual-TLS exchange on 127.0.0.1 between two workloads, each presenting the chain and key its agent got and
 * trusting only the roots its agent serves as {@code ROOTCA}, as two sidecars' Envoys do under STRICT mTLS: the
 * server requires a client certificate; each side verifies the other's chain to its own roots (PKIX, the JDK's).
 *
 * @param clientChain what the server verified of the client, empty when the handshake failed
 * @param failure     null, or why the handshake failed (the side that refused, and the JDK's reason)
 */
record WorkloadHandshake(List<X509Certificate> clientChain, String failure) {

    boolean succeeded() {
        return failure == null;
    }

    /** {@code client} connects to {@code server}; bounded by 5 s. */
    static WorkloadHandshake between(Credentials server, Credentials client) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) context(server).getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            listener.setSoTimeout(5000);
            CompletableFuture<List<X509Certificate>> accepted = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(5000);
                    s.startHandshake();
                    List<X509Certificate> peer = Arrays.stream(s.getSession().getPeerCertificates())
                            .map(X509Certificate.class::cast).toList();
                    s.getOutputStream().write('k');
                    s.getOutputStream().flush();
                    return peer;
                } catch (IOException e) {
                    throw new IllegalStateException("server refused: " + e.getMessage(), e);
                }
            });
            String clientFailure = null;
            try (SSLSocket s = (SSLSocket) context(client).getSocketFactory().createSocket("127.0.0.1",
                    listener.getLocalPort())) {
                s.setSoTimeout(5000);
                s.startHandshake();
                if (s.getInputStream().read() != 'k') {
                    clientFailure = "client: the server closed the connection";
                }
            } catch (IOException e) {
                clientFailure = "client refused or was refused: " + e.getMessage();
            }
            try {
                List<X509Certificate> chain = accepted.get(10, TimeUnit.SECONDS);
                return clientFailure == null ? new WorkloadHandshake(chain, null)
                        : new WorkloadHandshake(List.of(), clientFailure);
            } catch (java.util.concurrent.ExecutionException e) {
                return new WorkloadHandshake(List.of(), e.getCause().getMessage()
                        + (clientFailure == null ? "" : "; " + clientFailure));
            }
        }
    }

    private static SSLContext context(Credentials c) throws Exception {
        List<X509Certificate> chain = certificates(c.certificateChainPem());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        String body = c.privateKeyPem().replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "");
        keys.setKeyEntry("workload", KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getMimeDecoder().decode(body))), new char[0], chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        List<X509Certificate> trusted = certificates(c.rootsPem());
        for (int i = 0; i < trusted.size(); i++) {
            roots.setCertificateEntry("root-" + i, trusted.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(roots);
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return tls;
    }

    static List<X509Certificate> certificates(String pem) throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(
                pem.getBytes(StandardCharsets.US_ASCII))).stream().map(X509Certificate.class::cast).toList();
    }
}
