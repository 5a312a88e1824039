package meshlog.gatewayapi.parse;

import java.util.List;
import meshlog.gatewayapi.ExportTo;
import meshlog.gatewayapi.model.MeshCluster;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads meshlog's own {@code Cluster.spec}. */
final class ClusterReader {

    /** A {@code spec.kubeconfig} that is no absolute path to a file (or is a kubeconfig itself, pasted in). */
    static final String BAD_KUBECONFIG = "ML0018";
    static final int MAX_PATH = 4096;
    /** A default exportTo that Istio does not honour ({@code *} or {@code .}, {@code ~} too for services). */
    static final String BAD_DEFAULT = "CL0001";

    private ClusterReader() {
    }

    static MeshCluster read(ObjectMeta meta, Fields spec) {
        String kubeconfig = spec.string("kubeconfig");
        if (kubeconfig != null) {
            String problem = kubeconfigProblem(kubeconfig);
            if (problem != null) {
                spec.error(BAD_KUBECONFIG, "kubeconfig", problem);
                kubeconfig = null;
            }
        }
        return new MeshCluster(meta, spec.string("network"), spec.string("locality"), kubeconfig,
                exportDefault(spec, "defaultServiceExportTo", true),
                exportDefault(spec, "defaultVirtualServiceExportTo", false),
                exportDefault(spec, "defaultDestinationRuleExportTo", false));
    }

    private static List<String> exportDefault(Fields spec, String key, boolean tildeAllowed) {
        List<String> values = spec.strings(key);
        String problem = ExportTo.defaultProblem(values, tildeAllowed);
        if (problem != null) {
            spec.error(BAD_DEFAULT, key, problem);
            return List.of();
        }
        return values;
    }

    /** Why {@code path} cannot name a kubeconfig file, or null. */
    static String kubeconfigProblem(String path) {
        if (path.contains("\n") || path.contains("apiVersion") || path.contains("client-key-data")
                || path.contains("token:")) {
            return "must be the path of a kubeconfig file on the machine that runs meshlog, not the kubeconfig itself:"
                    + " credentials never go into git";
        }
        if (path.length() > MAX_PATH) {
            return "a path of at most " + MAX_PATH + " characters, got " + path.length();
        }
        if (!path.startsWith("/")) {
            return "must be an absolute path (it is read by the node that runs meshlog, whatever its working"
                    + " directory), got \"" + (path.length() > 100 ? path.substring(0, 100) + "..." : path) + "\"";
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "must not contain control characters";
        }
        return null;
    }
}
