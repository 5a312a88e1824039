package meshlog.gatewayapi.validate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import meshlog.gatewayapi.model.KubeRouteFilter;
import meshlog.gatewayapi.model.KubeRouteParts.BackendObjectRef;
import meshlog.gatewayapi.model.KubeRouteParts.BackendRef;
import meshlog.gatewayapi.model.KubeRouteParts.Header;
import meshlog.gatewayapi.model.KubeRouteParts.HeaderModifier;
import meshlog.gatewayapi.model.KubeRouteParts.LocalRef;
import meshlog.gatewayapi.model.KubeRouteParts.ParentRef;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatch;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatchType;

/**
 * The rules HTTPRoute and GRPCRoute share (CRD markers and CEL of {@code CommonRouteSpec}, {@code BackendRef},
 * {@code HTTPHeaderFilter}, ...). Codes are the kind's prefix ({@code HR}, {@code GR}) and the same number in both,
 * so {@code HR0132} and {@code GR0132} mean the same thing for each kind.
 */
final class KubeRouteRules {

    static final int MAX_PARENT_REFS = 32;
    static final int MAX_LIST = 16;
    static final int MAX_TOTAL_MATCHES = 128;
    static final int MAX_WEIGHT = 1_000_000;

    private final String prefix;
    private final Findings f;

    KubeRouteRules(String prefix, Findings f) {
        this.prefix = prefix;
        this.f = f;
    }

    private void error(String number, String path, String problem) {
        f.errorIf(prefix + number, path, problem);
    }

    void parentRefs(List<ParentRef> refs) {
        if (refs.size() > MAX_PARENT_REFS) {
            error("0107", "spec.parentRefs", "at most " + MAX_PARENT_REFS + " parentRefs, got " + refs.size());
        }
        Map<String, Boolean> sectionNamed = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < refs.size(); i++) {
            ParentRef r = refs.get(i);
            String path = "spec.parentRefs[" + i + "]";
            error("0100", path + ".name", KubeValueChecks.objectName(r.name()));
            error("0101", path + ".group", KubeValueChecks.group(r.group()));
            error("0102", path + ".kind", KubeValueChecks.kind(r.kind()));
            if (r.namespace() != null) {
                error("0103", path + ".namespace", KubeValueChecks.namespace(r.namespace()));
            }
            if (r.sectionName() != null) {
                error("0104", path + ".sectionName", KubeValueChecks.sectionName(r.sectionName()));
            }
            if (r.port() != null) {
                error("0105", path + ".port", Checks.port(r.port()));
            }
            String parent = r.group() + "/" + r.kind() + "/" + (r.namespace() == null ? "" : r.namespace()) + "/"
                    + r.name();
            boolean named = r.sectionName() != null && !r.sectionName().isEmpty();
            Boolean before = sectionNamed.putIfAbsent(parent, named);
            if (before != null && before != named) {
                error("0106", path + ".sectionName", "sectionName must be set on every parentRef to the same parent"
                        + " (" + r.kind() + " " + r.name() + ") when it is referenced more than once");
            } else if (!seen.add(parent + "#" + (named ? r.sectionName() : ""))) {
                error("0106", path, "parentRef to " + r.kind() + " " + r.name() + (named ? " section "
                        + r.sectionName() : "") + " is listed twice; sectionName must be unique per parent");
            }
        }
    }

    void hostnames(List<String> hostnames) {
        if (hostnames.size() > MAX_LIST) {
            error("0111", "spec.hostnames", "at most " + MAX_LIST + " hostnames, got " + hostnames.size());
        }
        for (int i = 0; i < hostnames.size(); i++) {
            error("0110", "spec.hostnames[" + i + "]", KubeValueChecks.hostname(hostnames.get(i)));
        }
    }

    /** Rule count, total matches, and rule names (unique, section-name shaped). */
    void ruleShape(List<String> names, List<Integer> matchCounts, int maxMatchesPerRule) {
        if (names.size() > MAX_LIST) {
            error("0120", "spec.rules", "at most " + MAX_LIST + " rules, got " + names.size());
        }
        int total = 0;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String path = "spec.rules[" + i + "]";
            int count = matchCounts.get(i);
            total += count;
            if (count > maxMatchesPerRule) {
                error("0121", path + ".matches", "at most " + maxMatchesPerRule + " matches per rule, got " + count);
            }
            String name = names.get(i);
            if (name != null) {
                error("0122", path + ".name", KubeValueChecks.sectionName(name));
                if (!seen.add(name)) {
                    error("0122", path + ".name", "rule name \"" + name + "\" is used twice; it must be unique");
                }
            }
        }
        if (total > MAX_TOTAL_MATCHES) {
            error("0121", "spec.rules", "at most " + MAX_TOTAL_MATCHES + " matches across all rules, got " + total);
        }
    }

    void backendRefs(List<BackendRef> refs, String path) {
        if (refs.size() > MAX_LIST) {
            error("0136", path, "at most " + MAX_LIST + " backendRefs, got " + refs.size());
        }
        for (int i = 0; i < refs.size(); i++) {
            BackendRef b = refs.get(i);
            String at = path + "[" + i + "]";
            backendObjectRef(b.ref(), at);
            if (b.weight() < 0 || b.weight() > MAX_WEIGHT) {
                error("0134", at + ".weight", "must be between 0 and " + MAX_WEIGHT + ", got " + b.weight());
            }
        }
        if (!refs.isEmpty() && refs.stream().allMatch(b -> b.weight() == 0)) {
            f.warning(prefix + "0135", path, "every backendRef has weight 0: no request is forwarded, matching"
                    + " requests fail");
        }
    }

    void backendObjectRef(BackendObjectRef r, String path) {
        error("0130", path + ".name", KubeValueChecks.objectName(r.name()));
        error("0131", path + ".group", KubeValueChecks.group(r.group()));
        error("0131", path + ".kind", KubeValueChecks.kind(r.kind()));
        if (r.namespace() != null) {
            error("0131", path + ".namespace", KubeValueChecks.namespace(r.namespace()));
        }
        if (r.port() == null && r.isService()) {
            error("0132", path + ".port", "port is required for a Service backend (the Service port, not the"
                    + " target port)");
        } else if (r.port() != null) {
            error("0133", path + ".port", Checks.port(r.port()));
        }
    }

    /** Header (or query parameter) matches: names valid and not repeated, values set, regexes compiling. */
    void valueMatches(List<ValueMatch> matches, String path, int maxValue, boolean caseInsensitive) {
        if (matches.size() > MAX_LIST) {
            error("0143", path, "at most " + MAX_LIST + " entries, got " + matches.size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < matches.size(); i++) {
            ValueMatch m = matches.get(i);
            String at = path + "[" + i + "]";
            error("0140", at + ".name", KubeValueChecks.headerName(m.name()));
            if (m.value().isEmpty() || m.value().length() > maxValue) {
                error("0141", at + ".value", "value is required, 1 to " + maxValue + " characters");
            } else if (m.type() == ValueMatchType.RegularExpression) {
                error("0144", at + ".value", KubeValueChecks.regex(m.value()));
            }
            String key = caseInsensitive ? m.name().toLowerCase(Locale.ROOT) : m.name();
            if (!m.name().isEmpty() && !names.add(key)) {
                error("0142", at + ".name", "\"" + m.name() + "\" is matched twice in the same match");
            }
        }
    }

    /** A list of filters: size, non-repeatable types, and each filter's own rules. */
    void filters(List<KubeRouteFilter> filters, String path, Set<String> repeatable) {
        if (filters.size() > MAX_LIST) {
            error("0155", path, "at most " + MAX_LIST + " filters, got " + filters.size());
        }
        Set<String> types = new HashSet<>();
        for (int i = 0; i < filters.size(); i++) {
            KubeRouteFilter filter = filters.get(i);
            String at = path + "[" + i + "]";
            if (!types.add(filter.type()) && !repeatable.contains(filter.type())) {
                error("0151", at + ".type", filter.type() + " filter cannot be repeated in the same list");
            }
            if (filter instanceof KubeRouteFilter.RequestHeaderModifier m) {
                headerModifier(m.modifier(), at + ".requestHeaderModifier");
            } else if (filter instanceof KubeRouteFilter.ResponseHeaderModifier m) {
                headerModifier(m.modifier(), at + ".responseHeaderModifier");
            } else if (filter instanceof KubeRouteFilter.RequestMirror m) {
                mirror(m, at + ".requestMirror");
            } else if (filter instanceof KubeRouteFilter.ExtensionRef e) {
                extensionRef(e.ref(), at + ".extensionRef");
            }
        }
    }

    private void headerModifier(HeaderModifier m, String path) {
        Set<String> seen = new HashSet<>();
        headers(m.set(), path + ".set", seen);
        headers(m.add(), path + ".add", seen);
        if (m.remove().size() > MAX_LIST) {
            error("0152", path + ".remove", "at most " + MAX_LIST + " entries, got " + m.remove().size());
        }
        for (int i = 0; i < m.remove().size(); i++) {
            String name = m.remove().get(i);
            String at = path + ".remove[" + i + "]";
            error("0152", at, KubeValueChecks.headerName(name));
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                error("0152", at, "header \"" + name + "\" has more than one action (set, add, remove)");
            }
        }
    }

    private void headers(List<Header> headers, String path, Set<String> seen) {
        if (headers.size() > MAX_LIST) {
            error("0152", path, "at most " + MAX_LIST + " entries, got " + headers.size());
        }
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            String at = path + "[" + i + "]";
            error("0152", at + ".name", KubeValueChecks.headerName(h.name()));
            if (h.value().isEmpty() || h.value().length() > 4096) {
                error("0152", at + ".value", "value is required, 1 to 4096 characters");
            }
            if (!h.name().isEmpty() && !seen.add(h.name().toLowerCase(Locale.ROOT))) {
                error("0152", at + ".name", "header \"" + h.name() + "\" has more than one action (set, add,"
                        + " remove)");
            }
        }
    }

    private void mirror(KubeRouteFilter.RequestMirror m, String path) {
        if (m.backendRef() == null) {
            error("0153", path + ".backendRef", "backendRef is required: where mirrored requests go");
        } else {
            backendObjectRef(m.backendRef(), path + ".backendRef");
        }
        if (m.percent() != null && m.fraction() != null) {
            error("0153", path, "only one of percent or fraction may be set");
        }
        if (m.percent() != null && (m.percent() < 0 || m.percent() > 100)) {
            error("0153", path + ".percent", "must be between 0 and 100, got " + m.percent());
        }
        if (m.fraction() != null) {
            var fr = m.fraction();
            if (fr.numerator() < 0 || fr.denominator() < 1) {
                error("0153", path + ".fraction", "numerator must be >= 0 and denominator >= 1");
            } else if (fr.numerator() > fr.denominator()) {
                error("0153", path + ".fraction.numerator", "numerator must be less than or equal to denominator");
            }
        }
    }

    private void extensionRef(LocalRef r, String path) {
        error("0154", path + ".group", KubeValueChecks.group(r.group()));
        error("0154", path + ".kind", KubeValueChecks.kind(r.kind()));
        error("0154", path + ".name", KubeValueChecks.objectName(r.name()));
    }

    /** A rule that sends nowhere: its requests fail. */
    void noBackends(String path, String outcome) {
        f.warning(prefix + "0160", path, "no backendRefs: matching requests " + outcome);
    }
}
