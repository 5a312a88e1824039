package meshlog.xds.grpc;

/**
 * What one client may ask of a distributor's gRPC edge. Each limit refuses with a gRPC status naming the limit
 * (RESOURCE_EXHAUSTED for sizes, counts and rates; INVALID_ARGUMENT for what is malformed) before the request
 * reaches java-control-plane, so one client cannot take the memory or the threads the others need.
 *
 * @param maxNodeIdBytes       a node id's UTF-8 bytes (an Istio sidecar id is ~100; a Kubernetes pod and namespace
 *                             name fit in 320)
 * @param maxMetadataBytes     the node metadata's encoded bytes (Istio's sidecar sends a few KiB, its annotations
 *                             included)
 * @param maxMessageBytes      one request message (gRPC's max inbound message size; Istio's default is 4 MiB)
 * @param requestsPerSecond    requests one stream may send per second, on average
 * @param requestBurst         requests one stream may send at once (a reconnect sends one per type and subscription)
 * @param maxStreamsPerAddress streams open at once from one client IP address
 * @param maxStreams           streams open at once on this distributor
 * @param maxPendingBytes      response bytes queued for one stream while its client does not read; past this the
 *                             stream is closed rather than buffered (the client reconnects and is served afresh)
 */
public record EdgeLimits(int maxNodeIdBytes, int maxMetadataBytes, int maxMessageBytes, int requestsPerSecond,
                         int requestBurst, int maxStreamsPerAddress, int maxStreams, long maxPendingBytes) {

    /** The defaults, as docs/operations.md states them. */
    public static final EdgeLimits DEFAULTS =
            new EdgeLimits(1024, 64 << 10, 4 << 20, 20, 100, 128, 4096, 16L << 20);

    public EdgeLimits {
        if (maxNodeIdBytes < 1 || maxMetadataBytes < 1 || maxMessageBytes < 1 || requestsPerSecond < 1
                || requestBurst < 1 || maxStreamsPerAddress < 1 || maxStreams < 1 || maxPendingBytes < 1) {
            throw new IllegalArgumentException("every xDS edge limit must be at least 1");
        }
    }
}
