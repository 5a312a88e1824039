package meshlog.gatewayapi.validate;

import static meshlog.gatewayapi.validate.ConfigValidator.at;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.Diagnostic.Severity;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.parse.ParsedResource;

/** DestinationRule rules (Istio's ValidateDestinationRule, the part meshlog serves so far). */
final class DestinationRuleRules {

    private DestinationRuleRules() {
    }

    static void check(ParsedResource p, DestinationRule dr, List<Diagnostic> out) {
        if (dr.host().isEmpty()) {
            out.add(at(p, "DR0001", Severity.ERROR, "spec.host", "host is required"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < dr.subsets().size(); i++) {
            String name = dr.subsets().get(i).name();
            String path = "spec.subsets[" + i + "].name";
            if (name.isEmpty()) {
                out.add(at(p, "DR0002", Severity.ERROR, path, "a subset needs a name"));
            } else if (!names.add(name)) {
                out.add(at(p, "DR0003", Severity.ERROR, path, "subset \"" + name + "\" is defined twice"));
            }
        }
    }
}
