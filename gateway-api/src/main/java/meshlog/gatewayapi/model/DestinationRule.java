package meshlog.gatewayapi.model;

import java.util.List;
import java.util.Map;

/**
 * Istio {@code DestinationRule}: policies for traffic to one host after routing, and named subsets of its endpoints.
 *
 * @param trafficPolicy null when not written
 * @param workloadSelector null when not written ({@code workloadSelector: {}} is an empty selector, not null)
 */
public record DestinationRule(ObjectMeta metadata, String host, TrafficPolicy trafficPolicy, List<Subset> subsets,
                              List<String> exportTo, WorkloadSelector workloadSelector) implements MeshResource {

    /** The endpoints of the host whose labels contain all of {@code labels}, with their own policy overrides. */
    public record Subset(String name, Map<String, String> labels, TrafficPolicy trafficPolicy) {
        public Subset {
            labels = Map.copyOf(labels);
        }

        /** A subset without a traffic policy of its own. */
        public Subset(String name, Map<String, String> labels) {
            this(name, labels, null);
        }
    }

    /** The client workloads (in the rule's namespace) the rule applies to. */
    public record WorkloadSelector(Map<String, String> matchLabels) {
        public WorkloadSelector {
            matchLabels = Map.copyOf(matchLabels);
        }
    }

    public DestinationRule {
        subsets = List.copyOf(subsets);
        exportTo = List.copyOf(exportTo);
    }

    /** A rule with only a host and subsets, as the reconciler's tests build them. */
    public DestinationRule(ObjectMeta metadata, String host, List<Subset> subsets) {
        this(metadata, host, null, subsets, List.of(), null);
    }

    @Override
    public String kind() {
        return "DestinationRule";
    }
}
