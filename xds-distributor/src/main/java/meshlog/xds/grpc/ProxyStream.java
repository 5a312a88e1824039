package meshlog.xds.grpc;

import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * The protocol state of one ADS stream, between gRPC and java-control-plane: sees each response before it is sent
 * and each request before java-control-plane does. Implementations are thread-safe: java-control-plane sends from the
 * thread that sets a snapshot as well as from gRPC's.
 *
 * @param <Q> the request type ({@code DiscoveryRequest} or {@code DeltaDiscoveryRequest})
 * @param <R> the response type
 */
interface ProxyStream<Q, R> {

    /** What to send in place of {@code response}: the same response, unless the stream must rewrite it. */
    R sent(R response);

    Outcome<Q> received(Q request);

    /**
     * One classified request.
     *
     * @param forward what to hand java-control-plane
     * @param node    the stream's node (the first request's, for proxies that send it once)
     * @param event   the ACK or NACK this request was, or null
     */
    record Outcome<Q>(Q forward, Node node, StreamEvent event) {
    }
}
