package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.KubeService;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads a Kubernetes {@code Service} for its name only; its spec is Kubernetes' to validate, not meshlog's. */
final class KubeServiceReader {

    private KubeServiceReader() {
    }

    static KubeService read(ObjectMeta meta, Fields spec) {
        spec.keys().forEach(spec::raw);
        return new KubeService(meta);
    }
}
