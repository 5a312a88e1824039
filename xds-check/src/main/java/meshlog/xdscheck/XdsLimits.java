package meshlog.xdscheck;

/** Facts of the xDS protocol that translation, building and checking must agree on. */
public final class XdsLimits {

    /** Weighted clusters' weights are uint32: their sum must fit. */
    public static final long MAX_TOTAL_WEIGHT = 0xFFFF_FFFFL;

    /** The HTTP filter that must end every chain (gRPC and Envoy refuse a chain without it last). */
    public static final String ROUTER_FILTER = "envoy.filters.http.router";

    private XdsLimits() {
    }
}
