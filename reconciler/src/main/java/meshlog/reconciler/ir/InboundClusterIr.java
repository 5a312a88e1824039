package meshlog.reconciler.ir;

/**
 * Where an Envoy sidecar sends traffic for its own workload, as Istio builds {@code inbound|<port>||}:
 *
 * <ul>
 *   <li>{@link Kind#ORIGINAL_DST}: to the connection's original destination (the workload's own address and port),
 *       from source 127.0.0.6, which istio-init's rules let through uncaptured; {@code portOverride} (0 for none)
 *       replaces the port when a Sidecar ingress names another one;</li>
 *   <li>{@link Kind#STATIC}: to {@code address:port}, a Sidecar ingress's {@code defaultEndpoint} such as
 *       {@code 127.0.0.1:8080};</li>
 *   <li>{@link Kind#PIPE}: to the Unix socket {@code address} of a {@code defaultEndpoint: unix://...}.</li>
 * </ul>
 *
 * <p>{@code InboundPassthroughCluster}, for inbound traffic to ports no chain names, is an ORIGINAL_DST one too.
 *
 * @param bindPassthroughSource whether upstream connections are made from 127.0.0.6 (Istio does unless the
 *                              endpoint is on localhost)
 * @param http2 the port's protocol is GRPC or HTTP2: the workload is spoken to in HTTP/2
 */
public record InboundClusterIr(String name, Kind kind, String address, int port, int portOverride,
                               boolean bindPassthroughSource, boolean http2) implements ClusterIr {

    public enum Kind { ORIGINAL_DST, STATIC, PIPE }

    /** The source address Istio's inbound clusters bind, excluded from capture by istio-init. */
    public static final String PASSTHROUGH_SOURCE = "127.0.0.6";
    public static final String PASSTHROUGH_NAME = "InboundPassthroughCluster";
    public static final InboundClusterIr PASSTHROUGH = new InboundClusterIr(PASSTHROUGH_NAME, Kind.ORIGINAL_DST,
            "", 0, 0, true, false);

    /** Istio's inbound cluster name for a workload port: {@code inbound|<port>||}. */
    public static String nameFor(int port) {
        return "inbound|" + port + "||";
    }
}
