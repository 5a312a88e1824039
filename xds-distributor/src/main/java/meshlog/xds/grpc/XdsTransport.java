package meshlog.xds.grpc;

import io.grpc.ServerCredentials;

/**
 * How a distributor's proxies reach it and prove who they are. The mTLS port (Istio's 15012) takes the proxy's
 * identity from its client certificate's SPIFFE ID (its meshlog agent's, which serves the proxy its secrets itself)
 * and serves routing; the plaintext port (15010) serves routing too. No port serves a workload key, unless
 * {@code insecurePlaintext} (a local demo's {@code --insecure-plaintext}, for Envoy without an agent) mints keys and
 * serves them on the plaintext port to whoever names a namespace and service account.
 *
 * @param tlsPort     the mTLS port (0: any free), or -1 for none
 * @param tls         the server's certificate and the roots client certificates must chain to; {@code REQUIRE}d
 *                    client authentication; null without a TLS port
 * @param trustDomain the SPIFFE trust domain client certificates must belong to
 */
public record XdsTransport(int tlsPort, ServerCredentials tls, String trustDomain, boolean insecurePlaintext) {

    /** Plaintext only, no secrets: routing for proxies that get their certificates elsewhere. */
    public static final XdsTransport PLAINTEXT_ONLY = new XdsTransport(-1, null, null, false);

    public XdsTransport {
        if ((tlsPort >= 0) != (tls != null) || (tls != null && trustDomain == null)) {
            throw new IllegalArgumentException("an mTLS port needs its credentials and trust domain, and only it");
        }
    }

    /** Plaintext only, secrets served to any claimant: what {@code --insecure-plaintext} asks for. */
    public static XdsTransport insecure() {
        return new XdsTransport(-1, null, null, true);
    }

    /** These settings with secrets on the plaintext port too. */
    public XdsTransport withInsecurePlaintext(boolean insecure) {
        return new XdsTransport(tlsPort, tls, trustDomain, insecure);
    }
}
