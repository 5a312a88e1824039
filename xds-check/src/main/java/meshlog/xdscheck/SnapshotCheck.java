package meshlog.xdscheck;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Checks a snapshot, in the serialized form that is published (type URL → name → bytes), before it is published
 * and again before it is served. Every resource of the four checked types must parse and carry the name it is
 * stored under; then:
 * <ul>
 *   <li>listeners ({@link ListenerCheck}): an API listener's, or each filter chain's (and the default chain's),
 *       HTTP connection manager takes its routes from RDS, naming a route configuration the snapshot holds, or
 *       inline, and ends with the router; a tcp_proxy names clusters the snapshot holds (weights summing to
 *       1..2^32-1); no two filter chains have the same match; SNI matches have a tls_inspector;</li>
 *   <li>routes ({@link RouteCheck}, in RDS and inline): every route forwards to, or mirrors to, clusters the
 *       snapshot holds, weighted clusters summing to 1..2^32-1;</li>
 *   <li>clusters and endpoints ({@link ClusterCheck}): every EDS cluster has an assignment, a STATIC one an
 *       endpoint (but {@code BlackHoleCluster}), a LOGICAL_DNS one exactly one endpoint, an ORIGINAL_DST one none
 *       and lb policy CLUSTER_PROVIDED; localities with endpoints have a weight, priorities are dense from 0 (what
 *       a gRPC client NACKs).</li>
 * </ul>
 * Other types (secrets, unknown ones) are not looked at. Returns every problem, not just the first, in a fixed
 * order: by type (listeners, routes, clusters, endpoints), then by name.
 *
 * <p>java-control-plane's own {@code Snapshot.ensureConsistent()} is not used: it only looks at filters named
 * {@code envoy.http_connection_manager}, misses API listeners, and demands exactly as many routes as references.
 */
public final class SnapshotCheck {

    /** What the check decoded, and every problem it found (empty: consistent). */
    public record Result(DecodedResources decoded, List<String> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean consistent() {
            return problems.isEmpty();
        }
    }

    /** The names a snapshot stores resources under, which references are checked against. */
    record Held(java.util.Set<String> routes, java.util.Set<String> clusters, java.util.Set<String> endpoints) {
    }

    private SnapshotCheck() {
    }

    /** @return empty when the snapshot is consistent */
    public static List<String> problems(Map<String, Map<String, byte[]>> resources) {
        return check(resources, ResourceParser.PLAIN).problems();
    }

    /** Parses the four checked types through {@code parser} and checks them. */
    public static Result check(Map<String, Map<String, byte[]>> resources, ResourceParser parser) {
        Held held = new Held(names(resources, TypeUrls.ROUTE), names(resources, TypeUrls.CLUSTER),
                names(resources, TypeUrls.ENDPOINT));
        List<String> out = new ArrayList<>();
        SortedMap<String, Listener> listeners = each(resources, TypeUrls.LISTENER, "listener", Listener.parser(),
                Listener::getName, parser, out, (name, l) -> ListenerCheck.check(name, l, held, out));
        SortedMap<String, RouteConfiguration> routes = each(resources, TypeUrls.ROUTE, "route configuration",
                RouteConfiguration.parser(), RouteConfiguration::getName, parser, out,
                (name, rc) -> RouteCheck.check("", rc, held, out));
        SortedMap<String, Cluster> clusters = each(resources, TypeUrls.CLUSTER, "cluster", Cluster.parser(),
                Cluster::getName, parser, out, (name, c) -> ClusterCheck.cluster(name, c, held, out));
        SortedMap<String, ClusterLoadAssignment> endpoints = each(resources, TypeUrls.ENDPOINT,
                "endpoint assignment", ClusterLoadAssignment.parser(), ClusterLoadAssignment::getClusterName, parser,
                out, (name, cla) -> ClusterCheck.endpoints(name, cla, out));
        return new Result(new DecodedResources(listeners, routes, clusters, endpoints), out);
    }

    /** A check of one parsed resource that may meet an embedded message that does not parse. */
    interface Check<T> {
        void check(String name, T resource) throws InvalidProtocolBufferException;
    }

    private static <T extends Message> SortedMap<String, T> each(Map<String, Map<String, byte[]>> resources,
            String typeUrl, String kind, Parser<T> protoParser, Function<T, String> nameOf, ResourceParser parser,
            List<String> out, Check<T> check) {
        SortedMap<String, T> parsed = new TreeMap<>();
        new TreeMap<>(resources.getOrDefault(typeUrl, Map.of())).forEach((name, bytes) -> {
            String what = kind + " " + name;
            try {
                T resource = parser.parse(typeUrl, bytes, protoParser);
                parsed.put(name, resource);
                String actual = nameOf.apply(resource);
                if (!actual.equals(name)) {
                    out.add(what + ": is stored under that name but named \"" + actual + "\"");
                }
                check.check(name, resource);
            } catch (InvalidProtocolBufferException e) {
                out.add(what + ": unreadable: " + e.getMessage());
            }
        });
        return parsed;
    }

    private static java.util.Set<String> names(Map<String, Map<String, byte[]>> resources, String typeUrl) {
        return resources.getOrDefault(typeUrl, Map.of()).keySet();
    }
}
