package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.DestinationRule.Subset;
import meshlog.gatewayapi.model.DestinationRule.WorkloadSelector;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code DestinationRule.spec}. */
final class DestinationRuleReader {

    private DestinationRuleReader() {
    }

    static DestinationRule read(ObjectMeta meta, Fields spec) {
        String host = spec.string("host");
        var policy = TrafficPolicyReader.read(spec.object("trafficPolicy"));
        var subsets = spec.objects("subsets", (f, i) -> {
            String name = f.string("name");
            return new Subset(name == null ? "" : name, f.stringMap("labels"),
                    TrafficPolicyReader.read(f.object("trafficPolicy")));
        });
        WorkloadSelector selector = null;
        Fields ws = spec.object("workloadSelector");
        if (ws != null) {
            selector = new WorkloadSelector(ws.stringMap("matchLabels"));
            ws.end();
        }
        return new DestinationRule(meta, host == null ? "" : host, policy, subsets, spec.strings("exportTo"),
                selector);
    }
}
