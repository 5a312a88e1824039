package meshlog.reconciler.ir;

/**
 * The cluster through which Envoy fetches a RequestAuthentication's {@code jwksUri}: the URI's host and port,
 * resolved by DNS (or an address as given), in TLS with the host as SNI for {@code https}.
 *
 * @param name {@code outbound|<port>||<host>}, Istio's name for a cluster to that host and port
 */
public record JwksClusterIr(String name, String host, int port, boolean tls) implements ClusterIr {

    /** The cluster for a JWKS at {@code host:port}. */
    public static JwksClusterIr of(String host, int port, boolean tls) {
        return new JwksClusterIr("outbound|" + port + "||" + host, host, port, tls);
    }
}
