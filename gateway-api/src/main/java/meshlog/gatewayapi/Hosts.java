package meshlog.gatewayapi;

/** Istio's host-name rules shared by validation and translation. */
public final class Hosts {

    public static final String DOMAIN_SUFFIX = "svc.cluster.local";

    private Hosts() {
    }

    /**
     * A short name ({@code reviews}) written in a VirtualService or DestinationRule means the service of that name in
     * the object's own namespace ({@code reviews.default.svc.cluster.local}), as in Istio; names with a dot and
     * wildcards are taken as written.
     */
    public static String fqdn(String host, String namespace) {
        if (host.isEmpty() || host.contains(".") || host.contains("*")) {
            return host;
        }
        return host + "." + namespace + "." + DOMAIN_SUFFIX;
    }
}
