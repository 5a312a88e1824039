package meshlog.xds.snapshot;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.envoyproxy.controlplane.cache.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.xdscheck.DecodedResources;
import meshlog.xdscheck.ResourceParser;
import meshlog.xdscheck.SnapshotCheck;

/**
 * Turns a {@link ScopeSnapshot} (bytes by type URL and name) into Envoy protos, or refuses it whole.
 * Pure: no I/O, no logging; the caller logs the warnings and keeps its last good snapshot on a refusal.
 */
public final class SnapshotDecoder {

    /** What became of one snapshot. */
    public sealed interface Result permits Decoded, Refused {
    }

    /** Accepted; {@code warnings} name what was skipped (unknown types, secrets). */
    public record Decoded(DecodedSnapshot snapshot, List<String> warnings) implements Result {
        public Decoded {
            warnings = List.copyOf(warnings);
        }
    }

    /** Refused: every problem found, not only the first. */
    public record Refused(List<String> problems) implements Result {
        public Refused {
            problems = List.copyOf(problems);
        }
    }

    private SnapshotDecoder() {
    }

    public static Result decode(ScopeSnapshot snapshot) {
        return decode(snapshot, new ResourcePool());
    }

    /** Decodes, taking every resource {@code pool} already holds from it and adding the rest. */
    public static Result decode(ScopeSnapshot snapshot, ResourcePool pool) {
        List<String> warnings = new ArrayList<>();
        Map<String, String> typeVersions = new TreeMap<>();
        Map<String, Map<String, byte[]>> resources = snapshot.resources();
        for (String typeUrl : resources.keySet()) {
            if (typeUrl.equals(Resources.V3.SECRET_TYPE_URL)) {
                warnings.add("skipped " + resources.get(typeUrl).size() + " secret(s): secrets come from the CA, not from snapshots");
            } else if (!Resources.V3.TYPE_URLS.contains(typeUrl)) {
                warnings.add("skipped unknown type " + typeUrl + " (" + resources.get(typeUrl).size() + " resource(s))");
            } else {
                typeVersions.put(typeUrl, ScopeSnapshot.versionOf(Map.of(typeUrl, resources.get(typeUrl))));
            }
        }
        // Parsed and checked by the reconciler's own check (one class at both trust boundaries), through the pool.
        SnapshotCheck.Result checked = SnapshotCheck.check(resources, new PooledParser(pool));
        if (!checked.consistent()) {
            return new Refused(checked.problems());
        }
        // A type the snapshot does not mention is served empty, at the version of an empty set.
        for (String typeUrl : List.of(Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL,
                Resources.V3.LISTENER_TYPE_URL, Resources.V3.ROUTE_TYPE_URL)) {
            typeVersions.putIfAbsent(typeUrl, ScopeSnapshot.versionOf(Map.of(typeUrl, Map.of())));
        }
        DecodedResources d = checked.decoded();
        DecodedSnapshot decoded = DecodedSnapshot.of(snapshot.cluster(), snapshot.version(), snapshot.commit(),
                List.copyOf(d.clusters().values()), List.copyOf(d.endpoints().values()),
                List.copyOf(d.listeners().values()), List.copyOf(d.routes().values()), typeVersions);
        return new Decoded(decoded, warnings);
    }

    /** Parses what the pool does not hold yet, and pools it. */
    private record PooledParser(ResourcePool pool) implements ResourceParser {
        @Override
        public <T extends Message> T parse(String typeUrl, byte[] bytes, Parser<T> parser)
                throws InvalidProtocolBufferException {
            @SuppressWarnings("unchecked") // the pool holds, per type URL, only what that type's parser made
            T pooled = (T) pool.get(typeUrl, bytes);
            if (pooled != null) {
                return pooled;
            }
            T parsed = parser.parseFrom(bytes);
            pool.put(typeUrl, bytes, parsed);
            return parsed;
        }
    }

    /** {@code type.googleapis.com/envoy.config.route.v3.RouteConfiguration} → {@code RouteConfiguration}. */
    public static String shortType(String typeUrl) {
        return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
    }
}
