package meshlog.injector;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;

/**
 * What injection adds to one pod: istio-init first among the init containers, istio-proxy after the app's
 * containers, the volumes they mount, and annotations and labels set (added or replaced); {@code warnings} name the
 * pod's Istio annotations it does not honour (shown by kubectl as the admission's warnings).
 */
public record Sidecar(Container init, Container proxy, List<Volume> volumes, Map<String, String> annotations,
                      Map<String, String> labels, List<String> warnings) {

    public Sidecar {
        volumes = List.copyOf(volumes);
        warnings = List.copyOf(warnings);
        annotations = Map.copyOf(annotations);
        labels = Map.copyOf(labels);
    }
}
