package meshlog.gatewayapi.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.Diagnostic.Severity;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.parse.ParsedResource;

/**
 * Semantic rules over parsed objects, each alone and all together (the repository is validated as a whole, like
 * {@code istioctl analyze}). Field positions come from the object's document; rules name the field path.
 */
public final class ConfigValidator {

    private ConfigValidator() {
    }

    public static List<Diagnostic> validate(List<ParsedResource> resources) {
        List<Diagnostic> out = new ArrayList<>();
        Map<ResourceKey, ParsedResource> seen = new HashMap<>();
        for (ParsedResource p : resources) {
            ParsedResource first = seen.putIfAbsent(p.resource().key(), p);
            if (first != null) {
                out.add(at(p, "ML0009", Severity.ERROR, "", "defined twice: also at " + first.file() + ":"
                        + first.line()));
            }
        }
        Map<String, Set<String>> subsetsByHost = subsetsByHost(resources);
        for (ParsedResource p : resources) {
            MeshResource r = p.resource();
            if (r instanceof ServiceEntry se) {
                ServiceEntryRules.check(p, se, out);
            } else if (r instanceof DestinationRule dr) {
                DestinationRuleRules.check(p, dr, out);
            } else if (r instanceof VirtualService vs) {
                VirtualServiceRules.check(p, vs, subsetsByHost, out);
            }
        }
        return out;
    }

    private static Map<String, Set<String>> subsetsByHost(List<ParsedResource> resources) {
        Map<String, Set<String>> out = new HashMap<>();
        for (ParsedResource p : resources) {
            if (p.resource() instanceof DestinationRule dr) {
                Set<String> names = out.computeIfAbsent(Hosts.fqdn(dr.host(), dr.metadata().namespace()),
                        h -> new HashSet<>());
                dr.subsets().forEach(s -> names.add(s.name()));
            }
        }
        return out;
    }

    /** A diagnostic at the line of the field {@code path} in {@code p}'s document (or its nearest parent). */
    static Diagnostic at(ParsedResource p, String code, Severity severity, String path, String message) {
        int[] pos = p.positionOf(path);
        return new Diagnostic(code, severity, p.file(), pos[0], pos[1], p.resource().key().toString(), path,
                message);
    }
}
