package meshlog.gatewayapi.model;

import java.util.List;
import java.util.Map;

/** Istio {@code DestinationRule}: names subsets of a host's endpoints by label. */
public record DestinationRule(ObjectMeta metadata, String host, List<Subset> subsets) implements MeshResource {

    public record Subset(String name, Map<String, String> labels) {
        public Subset {
            labels = Map.copyOf(labels);
        }
    }

    public DestinationRule {
        subsets = List.copyOf(subsets);
    }

    @Override
    public String kind() {
        return "DestinationRule";
    }
}
