package meshlog.xds.grpc;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What a server has sent since it started, per type URL: responses, and resources in them (a delta response counts
 * only what it carries after {@link DeltaStream} left out what the proxy held). A metric, and how tests prove that a
 * proxy reconnecting to another replica is resent nothing.
 */
final class SentCounts {

    private final Map<String, LongAdder> responses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> resources = new ConcurrentHashMap<>();
    /** By type URL the client named; a client may name any, so past {@link #TYPES_KEPT} they count as "other". */
    private final Map<String, LongAdder> expiredNonces = new ConcurrentHashMap<>();
    static final int TYPES_KEPT = 16;
    private volatile Consumer<SentResponse> timings = r -> {
    };

    /** Counts {@code response} (a state-of-the-world or delta response) as it goes out. */
    void sent(Object response) {
        if (response instanceof DiscoveryResponse sotw) {
            count(sotw.getTypeUrl(), sotw.getResourcesCount());
        } else if (response instanceof DeltaDiscoveryResponse delta) {
            count(delta.getTypeUrl(), delta.getResourcesCount());
        } else {
            throw new AssertionError(response);
        }
    }

    /** Where {@link #timed} reports each response (ops' histograms); called on gRPC threads, so it must be quick. */
    void reportTo(Consumer<SentResponse> sink) {
        timings = sink;
    }

    /** Reports {@code response} (as sent) with how long handing it to gRPC took. */
    void timed(Object response, long pushNanos, long sendNanos) {
        String typeUrl = response instanceof DiscoveryResponse sotw ? sotw.getTypeUrl()
                : ((DeltaDiscoveryResponse) response).getTypeUrl();
        long bytes = ((com.google.protobuf.MessageLite) response).getSerializedSize();
        timings.accept(new SentResponse(typeUrl, bytes, pushNanos, sendNanos));
    }

    private void count(String typeUrl, int resourceCount) {
        responses.computeIfAbsent(typeUrl, t -> new LongAdder()).increment();
        resources.computeIfAbsent(typeUrl, t -> new LongAdder()).add(resourceCount);
    }

    /**
     * A request answered a response older than the latest of its type sent on its stream (istiod's "expired
     * nonce"): it says nothing of what the proxy holds now.
     */
    void expiredNonce(String typeUrl) {
        String counted = expiredNonces.containsKey(typeUrl) || expiredNonces.size() < TYPES_KEPT ? typeUrl : "other";
        expiredNonces.computeIfAbsent(counted, t -> new LongAdder()).increment();
    }

    Map<String, Long> expiredNonces() {
        return snapshot(expiredNonces);
    }

    Map<String, Long> responses() {
        return snapshot(responses);
    }

    Map<String, Long> resources() {
        return snapshot(resources);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((type, n) -> out.put(type, n.sum()));
        return out;
    }
}
