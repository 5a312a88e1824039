package meshlog.gatewayapi.parse;

import java.util.List;
import meshlog.gatewayapi.ExportTo;
import meshlog.gatewayapi.model.MeshCluster;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads meshlog's own {@code Cluster.spec}. */
final class ClusterReader {

    /** A default exportTo that Istio does not honour ({@code *} or {@code .}, {@code ~} too for services). */
    static final String BAD_DEFAULT = "CL0001";

    private ClusterReader() {
    }

    static MeshCluster read(ObjectMeta meta, Fields spec) {
        return new MeshCluster(meta, spec.string("network"), spec.string("locality"),
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
}
