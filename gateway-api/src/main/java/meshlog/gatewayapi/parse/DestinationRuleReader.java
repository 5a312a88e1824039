package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.DestinationRule.Subset;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code DestinationRule.spec}. */
final class DestinationRuleReader {

    private DestinationRuleReader() {
    }

    static DestinationRule read(ObjectMeta meta, Fields spec) {
        spec.notImplemented("trafficPolicy", "exportTo", "workloadSelector");
        var subsets = spec.objects("subsets", (f, i) -> {
            f.notImplemented("trafficPolicy");
            String name = f.string("name");
            return new Subset(name == null ? "" : name, f.stringMap("labels"));
        });
        String host = spec.string("host");
        return new DestinationRule(meta, host == null ? "" : host, subsets);
    }
}
