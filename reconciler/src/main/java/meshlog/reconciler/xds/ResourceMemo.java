package meshlog.reconciler.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.ClusterIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.xdscheck.ResourceParser;

/**
 * What the scopes of one computation share, done once: each distinct IR item is built and serialized once (equal
 * IR, one {@code byte[]}, handed to every scope that has it), and each of those arrays is hashed and parsed (for
 * the consistency check) once. Most of a sidecar scope is the same in every scope of a cluster (its clusters and
 * endpoint assignments nearly always, its listeners and route tables unless a {@code Sidecar} or a
 * {@code sourceLabels} route tells the scopes apart), so with 500 scopes most of the work is done for one.
 *
 * <p>It changes no output: the builders are pure functions of the item they are given (an endpoint assignment of
 * {@link EndpointBuilder.Inputs}), so a remembered result is what building again would give. It is not thread
 * safe and lives for one computation (one commit's decision); nothing outlives it.
 */
public final class ResourceMemo {

    /** A built resource: its xDS name (as {@link ResourceNames} reads it from the proto) and its bytes. */
    record Built(String name, byte[] bytes) {
        static Built of(Message m) {
            return new Built(ResourceNames.of(m), Protos.bytes(m));
        }
    }

    private final Map<ListenerIr, Built> listeners = new HashMap<>();
    private final Map<RouteTableIr, Built> routes = new HashMap<>();
    private final Map<ClusterIr, Built> clusters = new HashMap<>();
    private final Map<EndpointBuilder.Inputs, Built> endpoints = new HashMap<>();
    /** By array identity: arrays this memo handed out are shared, so equal content is mostly the same array. */
    private final Map<byte[], String> hashes = new IdentityHashMap<>();
    private final Map<byte[], Message> parsed = new IdentityHashMap<>();
    private final ResourceParser parser = new ResourceParser() {
        @Override
        public <T extends Message> T parse(String typeUrl, byte[] bytes, Parser<T> p)
                throws InvalidProtocolBufferException {
            Message held = parsed.get(bytes);
            if (held != null && held.getParserForType() == p) {
                @SuppressWarnings("unchecked")
                T same = (T) held;
                return same;
            }
            T fresh = p.parseFrom(bytes);
            parsed.put(bytes, fresh);
            return fresh;
        }
    };
    private int built;
    private int reused;

    Built listener(ListenerIr ir) {
        return remembered(listeners, ir, l -> Built.of(ListenerBuilder.build(l)));
    }

    Built route(RouteTableIr ir) {
        return remembered(routes, ir, t -> Built.of(RouteConfigBuilder.build(t)));
    }

    Built cluster(ClusterIr ir) {
        return remembered(clusters, ir, c -> Built.of(ClusterBuilder.build(c)));
    }

    Built endpoints(BackendIr ir) {
        return remembered(endpoints, EndpointBuilder.Inputs.of(ir), in -> Built.of(EndpointBuilder.build(in)));
    }

    /** {@link ScopeSnapshot#hash} of {@code bytes}, computed once per array. */
    public String hash(byte[] bytes) {
        return hashes.computeIfAbsent(bytes, ScopeSnapshot::hash);
    }

    /** A parser for the consistency check that parses each array once; the protos are immutable, so shared. */
    public ResourceParser parser() {
        return parser;
    }

    /** How many resources were built, and how many handed out again, so far (for the benchmark and tests). */
    public String stats() {
        return built + " built, " + reused + " reused";
    }

    private <K> Built remembered(Map<K, Built> memo, K key, Function<K, Built> build) {
        Built held = memo.get(key);
        if (held != null) {
            reused++;
            return held;
        }
        Built fresh = build.apply(key);
        memo.put(key, fresh);
        built++;
        return fresh;
    }
}
