package meshlog.xds.grpc;

import java.time.Duration;

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
 * @param maxConnectionAge     how long one connection may stay open ({@link Duration#ZERO}: for ever). Past it the
 *                             server sends GOAWAY (grpc-java adds ±10 % jitter) and closes the connection
 *                             {@link #CONNECTION_AGE_GRACE} later, so proxies reconnect and spread over the replicas
 *                             behind a Service, new replicas included; Istio's chart sets 30 min for istiod
 *                             ({@code keepaliveMaxServerConnectionAge})
 */
public record EdgeLimits(int maxNodeIdBytes, int maxMetadataBytes, int maxMessageBytes, int requestsPerSecond,
                         int requestBurst, int maxStreamsPerAddress, int maxStreams, long maxPendingBytes,
                         Duration maxConnectionAge) {

    /** Istio's chart default for istiod's {@code keepaliveMaxServerConnectionAge}. */
    public static final Duration MAX_CONNECTION_AGE = Duration.ofMinutes(30);
    /** What a connection past its age is given to finish before it is closed: Istio's keepalive default, 10 s. */
    public static final Duration CONNECTION_AGE_GRACE = Duration.ofSeconds(10);

    /** The defaults, as docs/operations.md states them. */
    public static final EdgeLimits DEFAULTS =
            new EdgeLimits(1024, 64 << 10, 4 << 20, 20, 100, 128, 4096, 16L << 20, MAX_CONNECTION_AGE);

    public EdgeLimits {
        if (maxNodeIdBytes < 1 || maxMetadataBytes < 1 || maxMessageBytes < 1 || requestsPerSecond < 1
                || requestBurst < 1 || maxStreamsPerAddress < 1 || maxStreams < 1 || maxPendingBytes < 1) {
            throw new IllegalArgumentException("every xDS edge limit must be at least 1");
        }
        if (maxConnectionAge == null || maxConnectionAge.isNegative()) {
            throw new IllegalArgumentException("the maximum connection age is zero (for ever) or positive");
        }
    }

    /** The limits with the default connection age. */
    public EdgeLimits(int maxNodeIdBytes, int maxMetadataBytes, int maxMessageBytes, int requestsPerSecond,
                      int requestBurst, int maxStreamsPerAddress, int maxStreams, long maxPendingBytes) {
        this(maxNodeIdBytes, maxMetadataBytes, maxMessageBytes, requestsPerSecond, requestBurst, maxStreamsPerAddress,
                maxStreams, maxPendingBytes, MAX_CONNECTION_AGE);
    }

    /** These limits with another connection age. */
    public EdgeLimits withMaxConnectionAge(Duration age) {
        return new EdgeLimits(maxNodeIdBytes, maxMetadataBytes, maxMessageBytes, requestsPerSecond, requestBurst,
                maxStreamsPerAddress, maxStreams, maxPendingBytes, age);
    }
}
