package meshlog.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Loopback servers that answer every connection with their name and close it, over plain TCP or over TLS with a
 * self-signed certificate of their own ({@code CN=<name>}): what a test needs to tell which backend a proxied
 * connection reached, without any application protocol.
 */
final class NamedSocketServers {

    private NamedSocketServers() {
    }

    /** One server; {@link #count} is how many connections it answered. */
    static final class Server implements AutoCloseable {
        final String name;
        final X509Certificate certificate;
        private final ServerSocket socket;
        private final AtomicInteger count = new AtomicInteger();
        private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "named-server");
            t.setDaemon(true);
            return t;
        });

        private Server(String name, ServerSocket socket, X509Certificate certificate) {
            this.name = name;
            this.socket = socket;
            this.certificate = certificate;
            threads.execute(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        int count() {
            return count.get();
        }

        void reset() {
            count.set(0);
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    threads.execute(() -> answer(s));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void answer(Socket s) {
            try (s) {
                s.setSoTimeout(5_000);
                if (s instanceof SSLSocket tls) {
                    tls.startHandshake();
                }
                count.incrementAndGet();
                s.getOutputStream().write((name + "\n").getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
            } catch (IOException e) {
                // the client went away (or refused the handshake): nothing answered
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            threads.shutdownNow();
        }
    }

    static Server tcp(String name) {
        try {
            return new Server(name, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TLS server whose certificate, self-signed for {@code CN=<name>}, is generated here. */
    static Server tls(String name) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = gen.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + name);
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                    subject, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(1, ChronoUnit.DAYS)), subject, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(name, keys.getPrivate(), new char[0], new java.security.cert.Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            SSLServerSocket socket = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
                    InetAddress.getLoopbackAddress());
            return new Server(name, socket, cert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    /** Connects to {@code ip:port} and returns the line the server sent, or null if none came. */
    static String readName(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2_000);
            s.setSoTimeout(5_000);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            return null;
        }
    }

    /** What a TLS client sending {@code sni} saw: the server's certificate subject and its line. */
    record TlsAnswer(String subject, String line, String error) {
    }

    /** A TLS connection to {@code 127.0.0.1:port} sending SNI {@code sni}, trusting only {@code trusted}. */
    static TlsAnswer tlsCall(int port, String sni, List<X509Certificate> trusted) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                ts.setCertificateEntry("c" + i, trusted.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                raw.setSoTimeout(5_000);
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, sni, port, true)) {
                    SSLParameters params = s.getSSLParameters();
                    params.setServerNames(List.of(new SNIHostName(sni)));
                    s.setSSLParameters(params);
                    s.startHandshake();
                    String subject = ((X509Certificate) s.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal().getName();
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.UTF_8)).readLine();
                    return new TlsAnswer(subject, line, "");
                }
            }
        } catch (IOException e) {
            return new TlsAnswer("", null, e.getClass().getSimpleName());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
