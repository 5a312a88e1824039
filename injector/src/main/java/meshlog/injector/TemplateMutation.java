package meshlog.injector;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Sidecar} applied to a pod template in place, for kube-inject: the same result as applying
 * {@link PodPatch}'s operations (a test holds the two together).
 */
final class TemplateMutation {

    private TemplateMutation() {
    }

    static void apply(ObjectMeta meta, PodSpec spec, Sidecar sidecar) {
        List<Container> init = new ArrayList<>(List.of(sidecar.init()));
        if (spec.getInitContainers() != null) {
            init.addAll(spec.getInitContainers());
        }
        spec.setInitContainers(init);
        List<Container> containers = new ArrayList<>(spec.getContainers() == null ? List.of() : spec.getContainers());
        containers.add(sidecar.proxy());
        spec.setContainers(containers);
        List<Volume> volumes = new ArrayList<>(spec.getVolumes() == null ? List.of() : spec.getVolumes());
        volumes.addAll(sidecar.volumes());
        spec.setVolumes(volumes);
        meta.setAnnotations(merged(meta.getAnnotations(), sidecar.annotations()));
        meta.setLabels(merged(meta.getLabels(), sidecar.labels()));
    }

    private static Map<String, String> merged(Map<String, String> existing, Map<String, String> added) {
        Map<String, String> out = new LinkedHashMap<>(existing == null ? Map.of() : existing);
        new java.util.TreeMap<>(added).forEach(out::put);
        return out;
    }
}
