package meshlog.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JWT issuer for tests: an RSA 2048 key made in the test, its public JWK set, RS256 tokens signed with it
 * (compact JWS: base64url header, payload and signature, RFC 7515), and an HTTP server on 127.0.0.1 serving the set
 * as a {@code jwksUri} would, counting the fetches.
 */
final class TestJwts implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final String kid;
    private final KeyPair keys;
    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer server;

    private TestJwts(String kid) {
        this.kid = kid;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            keys = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new key pair named {@code kid}, not yet served. */
    static TestJwts withKey(String kid) {
        return new TestJwts(kid);
    }

    /** The public JWK set: one RSA key, {@code n} and {@code e} base64url without sign bytes. */
    String jwks() {
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        Map<String, String> key = new LinkedHashMap<>();
        key.put("kty", "RSA");
        key.put("kid", kid);
        key.put("alg", "RS256");
        key.put("use", "sig");
        key.put("n", B64.encodeToString(unsigned(pub.getModulus())));
        key.put("e", B64.encodeToString(unsigned(pub.getPublicExponent())));
        return json(Map.of("keys", java.util.List.of(key)));
    }

    /** A token with {@code claims}, signed with this key (RS256). */
    String sign(Map<String, Object> claims) {
        String header = B64.encodeToString(json(Map.of("alg", "RS256", "typ", "JWT", "kid", kid))
                .getBytes(StandardCharsets.UTF_8));
        String payload = B64.encodeToString(json(claims).getBytes(StandardCharsets.UTF_8));
        String input = header + "." + payload;
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(keys.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serves {@link #jwks()} at {@code http://127.0.0.1:<port>/jwks.json}; returns that URI. */
    String serve() {
        byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/jwks.json", ex -> {
            try (ex) {
                fetches.incrementAndGet();
                ex.getResponseHeaders().add("content-type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    /** How often the served set was fetched. */
    int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
