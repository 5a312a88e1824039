package meshlog.gatewayapi.parse;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import meshlog.gatewayapi.model.KubeRouteFilter;
import meshlog.gatewayapi.model.KubeRouteParts.BackendObjectRef;
import meshlog.gatewayapi.model.KubeRouteParts.BackendRef;
import meshlog.gatewayapi.model.KubeRouteParts.Fraction;
import meshlog.gatewayapi.model.KubeRouteParts.Header;
import meshlog.gatewayapi.model.KubeRouteParts.HeaderModifier;
import meshlog.gatewayapi.model.KubeRouteParts.LocalRef;
import meshlog.gatewayapi.model.KubeRouteParts.ParentRef;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatch;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatchType;

/**
 * Reads the parts HTTPRoute and GRPCRoute share: the spec and rule fields both have, parent and backend references,
 * header matches and filters.
 */
final class KubeRouteReading {

    /** The suffix of the code (after the kind's prefix) for a filter whose type and configuration disagree. */
    static final String FILTER_MISMATCH = "0150";

    private KubeRouteReading() {
    }

    /** The spec fields every route kind has; its rules are read by the kind's own reader. */
    record Spec<R>(List<ParentRef> parentRefs, List<String> hostnames, List<R> rules) {
    }

    /** The rule fields every route kind has; matches are the kind's own, and so is the filter reader. */
    record RuleParts<M>(String name, List<M> matches, List<KubeRouteFilter> filters, List<BackendRef> backendRefs) {
    }

    static <R> Spec<R> spec(Fields spec, Function<Fields, R> rule) {
        spec.notImplemented("useDefaultGateways");
        var parentRefs = parentRefs(spec);
        var hostnames = spec.strings("hostnames");
        return new Spec<>(parentRefs, hostnames, spec.objects("rules", (f, i) -> rule.apply(f)));
    }

    /** Reads the shared fields of a rule; a kind reads its own fields of {@code f} after this. */
    static <M> RuleParts<M> rule(Fields f, Function<Fields, M> match, Function<Fields, KubeRouteFilter> filter) {
        f.notImplemented("sessionPersistence");
        String name = f.string("name");
        var matches = f.objects("matches", (m, i) -> match.apply(m));
        var filters = f.objects("filters", (x, i) -> filter.apply(x));
        var backendRefs = f.objects("backendRefs", (b, i) -> backendRef(b, (x, j) -> filter.apply(x)));
        return new RuleParts<>(name, matches, filters, backendRefs);
    }

    private static List<ParentRef> parentRefs(Fields spec) {
        return spec.objects("parentRefs", (f, i) -> new ParentRef(f.string("group"), f.string("kind"),
                f.string("namespace"), f.string("name"), f.string("sectionName"), f.integer("port", null)));
    }

    static BackendObjectRef backendObjectRef(Fields f) {
        return new BackendObjectRef(f.string("group"), f.string("kind"), f.string("name"), f.string("namespace"),
                f.integer("port", null));
    }

    /** A {@code backendRefs[]} entry: the reference, its weight (default 1) and its own filters. */
    private static BackendRef backendRef(Fields f, BiFunction<Fields, Integer, KubeRouteFilter> filter) {
        BackendObjectRef ref = backendObjectRef(f);
        Integer weight = f.integer("weight", 1);
        return new BackendRef(ref, weight, f.objects("filters", filter));
    }

    static ValueMatch valueMatch(Fields f) {
        return new ValueMatch(EnumField.read(f, "type", ValueMatchType.class, null), f.string("name"),
                f.string("value"));
    }

    static LocalRef localRef(Fields f) {
        return new LocalRef(f.string("group"), f.string("kind"), f.string("name"));
    }

    /**
     * One filter: {@code type} names which of the configuration fields ({@code configs}: field to type) must be set,
     * and no other may be. The filter is read by {@code read} from the field of its type; null when the type is
     * missing or unknown, or its field is absent (each reported).
     */
    static KubeRouteFilter filter(Fields f, String prefix, Map<String, String> configs,
                                  BiFunction<Fields, String, KubeRouteFilter> read) {
        String type = f.string("type");
        if (type == null) {
            f.errorHere(prefix + FILTER_MISMATCH, "type is required; one of " + String.join(", ", configs.values()));
        } else if (!configs.containsValue(type)) {
            f.error(EnumField.BAD_ENUM, "type", "unknown value \"" + type + "\"; allowed: "
                    + String.join(", ", configs.values()));
            type = null;
        }
        KubeRouteFilter out = null;
        String needed = null;
        for (Map.Entry<String, String> e : configs.entrySet()) {
            String key = e.getKey();
            boolean mine = e.getValue().equals(type);
            if (mine) {
                needed = key;
            }
            if (!f.has(key)) {
                f.raw(key);
            } else if (mine) {
                out = read.apply(f, key);
            } else {
                f.raw(key);
                if (type != null) {
                    f.error(prefix + FILTER_MISMATCH, key, key + " must not be set when the filter type is " + type);
                }
            }
        }
        if (needed != null && out == null && !f.has(needed)) {
            f.errorHere(prefix + FILTER_MISMATCH, "filter type " + type + " needs the field " + needed);
        }
        return out;
    }

    /** The filter configurations both route kinds have, read from {@code parent.key}. */
    static KubeRouteFilter commonFilter(Fields parent, String key) {
        Fields f = parent.object(key);
        KubeRouteFilter out = switch (key) {
            case "requestHeaderModifier" -> new KubeRouteFilter.RequestHeaderModifier(headerModifier(f));
            case "responseHeaderModifier" -> new KubeRouteFilter.ResponseHeaderModifier(headerModifier(f));
            case "requestMirror" -> mirror(f);
            case "extensionRef" -> new KubeRouteFilter.ExtensionRef(localRef(f));
            default -> throw new IllegalArgumentException("not a common filter: " + key);
        };
        f.end();
        return out;
    }

    private static HeaderModifier headerModifier(Fields f) {
        return new HeaderModifier(f.objects("set", (h, i) -> header(h)), f.objects("add", (h, i) -> header(h)),
                f.strings("remove"));
    }

    private static Header header(Fields f) {
        return new Header(f.string("name"), f.string("value"));
    }

    private static KubeRouteFilter.RequestMirror mirror(Fields f) {
        BackendObjectRef ref = null;
        Fields b = f.object("backendRef");
        if (b != null) {
            ref = backendObjectRef(b);
            b.end();
        }
        Fraction fraction = null;
        Fields fr = f.object("fraction");
        if (fr != null) {
            fraction = new Fraction(fr.integer("numerator", 0), fr.integer("denominator", 100));
            fr.end();
        }
        return new KubeRouteFilter.RequestMirror(ref, f.integer("percent", null), fraction);
    }
}
