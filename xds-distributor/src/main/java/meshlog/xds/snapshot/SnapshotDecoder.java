package meshlog.xds.snapshot;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.snapshot.ScopeSnapshot;

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
        List<String> problems = new ArrayList<>();
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
        List<Cluster> clusters = parseAll(resources, Resources.V3.CLUSTER_TYPE_URL, Cluster.parser(), pool, problems);
        List<ClusterLoadAssignment> endpoints =
                parseAll(resources, Resources.V3.ENDPOINT_TYPE_URL, ClusterLoadAssignment.parser(), pool, problems);
        List<Listener> listeners =
                parseAll(resources, Resources.V3.LISTENER_TYPE_URL, Listener.parser(), pool, problems);
        List<RouteConfiguration> routes =
                parseAll(resources, Resources.V3.ROUTE_TYPE_URL, RouteConfiguration.parser(), pool, problems);
        // A type the snapshot does not mention is served empty, at the version of an empty set.
        for (String typeUrl : List.of(Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL,
                Resources.V3.LISTENER_TYPE_URL, Resources.V3.ROUTE_TYPE_URL)) {
            typeVersions.putIfAbsent(typeUrl, ScopeSnapshot.versionOf(Map.of(typeUrl, Map.of())));
        }
        DecodedSnapshot decoded = DecodedSnapshot.of(snapshot.cluster(), snapshot.version(), snapshot.commit(),
                clusters, endpoints, listeners, routes, typeVersions);
        if (problems.isEmpty()) {
            problems.addAll(References.dangling(decoded));
        }
        return problems.isEmpty() ? new Decoded(decoded, warnings) : new Refused(problems);
    }

    private static <T extends Message> List<T> parseAll(Map<String, Map<String, byte[]>> resources, String typeUrl,
                                                        Parser<T> parser, ResourcePool pool,
                                                        List<String> problems) {
        List<T> parsed = new ArrayList<>();
        resources.getOrDefault(typeUrl, Map.of()).forEach((name, bytes) -> {
            try {
                @SuppressWarnings("unchecked") // the pool holds, per type URL, only what that type's parser made
                T pooled = (T) pool.get(typeUrl, bytes);
                T message = pooled != null ? pooled : parser.parseFrom(bytes);
                String actual = Resources.getResourceName(message);
                if (!actual.equals(name)) {
                    problems.add(shortType(typeUrl) + " '" + name + "': the bytes hold a resource named '" + actual + "'");
                } else {
                    if (pooled == null) {
                        pool.put(typeUrl, bytes, message);
                    }
                    parsed.add(message);
                }
            } catch (InvalidProtocolBufferException e) {
                problems.add(shortType(typeUrl) + " '" + name + "': not a valid protobuf (" + e.getMessage() + ")");
            }
        });
        return parsed;
    }

    /** {@code type.googleapis.com/envoy.config.route.v3.RouteConfiguration} → {@code RouteConfiguration}. */
    public static String shortType(String typeUrl) {
        return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
    }
}
