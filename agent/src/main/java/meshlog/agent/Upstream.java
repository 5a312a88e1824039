package meshlog.agent;

import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import meshlog.caserver.CaServer;
import meshlog.caserver.ServingTls;

/**
 * The agent's mTLS channel to a distributor: the workload certificate as client certificate (the distributor takes
 * the proxy's identity from it), the mesh roots to check the server, whose name must be istiod's. A renewed
 * certificate is used by the next connection; open streams keep theirs, as the TLS session was made with it.
 */
final class Upstream implements AutoCloseable {

    private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    private final ManagedChannel channel;

    Upstream(String host, int port, Credentials first) throws java.io.IOException {
        use(first);
        var credentials = TlsChannelCredentials.newBuilder().keyManager(keys)
                .trustManager(new ByteArrayInputStream(first.rootsPem().getBytes(StandardCharsets.US_ASCII)))
                .build();
        channel = NettyChannelBuilder.forAddress(host, port, credentials)
                .overrideAuthority(CaServer.DNS_NAMES.get(0)).build();
    }

    /** The certificate new connections present. */
    void use(Credentials c) {
        keys.updateIdentityCredentials(ServingTls.certificates(c.certificateChainPem()), privateKey(c));
    }

    ManagedChannel channel() {
        return channel;
    }

    static PrivateKey privateKey(Credentials c) {
        String body = c.privateKeyPem().replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // the other algorithm, then give up without the cause (it could carry key bytes)
            }
        }
        throw new IllegalStateException("the workload key cannot be read back");
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
