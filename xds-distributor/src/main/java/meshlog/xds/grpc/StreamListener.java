package meshlog.xds.grpc;

import meshlog.xds.proxy.ProxyNode;

/**
 * What the ADS server reports about each admitted proxy stream. Called on gRPC threads; implementations must be
 * thread-safe and quick. Refused streams are never reported.
 */
public interface StreamListener {

    void connected(long stream, ProxyNode proxy);

    /** The proxy accepted {@code version} of {@code typeUrl}. */
    void acked(long stream, String typeUrl, String version);

    /** The proxy rejected {@code version} of {@code typeUrl} ({@code ""} when the nonce is unknown). */
    void nacked(long stream, String typeUrl, String version, String error);

    void disconnected(long stream);
}
