package meshlog.xds.grpc;

/**
 * One xDS response as it went out on a stream, for istiod's push histograms.
 *
 * @param typeUrl   the response's type URL
 * @param bytes     its serialized size
 * @param pushNanos from the stream being handed the response to gRPC accepting it, the repairs of
 *                  {@link AdsStream}/{@link DeltaStream} included
 * @param sendNanos gRPC's part of that: serializing and queueing it on the stream
 */
public record SentResponse(String typeUrl, long bytes, long pushNanos, long sendNanos) {
}
