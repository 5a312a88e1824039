package meshlog.configstore.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test snapshots: resources are short strings, so failures print readably. */
final class Snapshots {

    static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    static final String LISTENER_TYPE = "type.googleapis.com/envoy.config.listener.v3.Listener";
    static final String ROUTE_TYPE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    static final String SCOPE = "grpc";

    private Snapshots() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A snapshot of scope {@link #SCOPE} from "type", "name", "content", ... with a content-hash version. */
    static ScopeSnapshot snapshot(String cluster, String commit, String... typeNameContent) {
        return scoped(cluster, SCOPE, commit, typeNameContent);
    }

    /** A snapshot of {@code scope} from "type", "name", "content", ... with a content-hash version. */
    static ScopeSnapshot scoped(String cluster, String scope, String commit, String... typeNameContent) {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>();
        for (int i = 0; i < typeNameContent.length; i += 3) {
            resources.computeIfAbsent(typeNameContent[i], t -> new TreeMap<>())
                    .put(typeNameContent[i + 1], bytes(typeNameContent[i + 2]));
        }
        return new ScopeSnapshot(cluster, scope, ScopeSnapshot.versionOf(resources), commit, resources);
    }

    /** Resources as type -> name -> content string, for comparing snapshots (byte[] has identity equality). */
    static Map<String, Map<String, String>> contents(ScopeSnapshot s) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        s.resources().forEach((type, byName) -> byName.forEach((name, b) ->
                out.computeIfAbsent(type, t -> new TreeMap<>()).put(name, new String(b, StandardCharsets.UTF_8))));
        return out;
    }

    /** The records that publish {@code next} as the cluster's scopes over {@code held}. */
    static List<SnapshotRecord> publish(SnapshotHoldings held, ScopeSnapshot... next) {
        return SnapshotDiff.between(held, held.cluster(), List.of(next)).records();
    }

    /** The records of a first publication of {@code next}. */
    static List<SnapshotRecord> first(ScopeSnapshot... next) {
        return publish(SnapshotHoldings.empty(next[0].cluster()), next);
    }

    static List<String> keys(List<SnapshotRecord> records) {
        return records.stream().map(SnapshotRecord::key).toList();
    }

    @SafeVarargs
    static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> l : lists) {
            all.addAll(l);
        }
        return all;
    }
}
