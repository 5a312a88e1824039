package meshlog.configstore.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Test snapshots: resources are short strings, so failures print readably. */
final class Snapshots {

    static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    static final String LISTENER_TYPE = "type.googleapis.com/envoy.config.listener.v3.Listener";
    static final String ROUTE_TYPE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

    private Snapshots() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A snapshot from "type", "name", "content", "type", "name", "content", ... with a content-hash version. */
    static ClusterSnapshot snapshot(String cluster, String commit, String... typeNameContent) {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>();
        for (int i = 0; i < typeNameContent.length; i += 3) {
            resources.computeIfAbsent(typeNameContent[i], t -> new TreeMap<>())
                    .put(typeNameContent[i + 1], bytes(typeNameContent[i + 2]));
        }
        return new ClusterSnapshot(cluster, ClusterSnapshot.versionOf(resources), commit, resources);
    }

    /** Resources as type -> name -> content string, for comparing snapshots (byte[] has identity equality). */
    static Map<String, Map<String, String>> contents(ClusterSnapshot s) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        s.resources().forEach((type, byName) -> byName.forEach((name, b) ->
                out.computeIfAbsent(type, t -> new TreeMap<>()).put(name, new String(b, StandardCharsets.UTF_8))));
        return out;
    }
}
