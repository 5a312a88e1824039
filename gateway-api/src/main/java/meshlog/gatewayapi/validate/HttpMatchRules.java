package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;

/** One entry of an HTTP route's {@code match[]}: Istio's {@code validateHTTPRouteMatchRequest}. */
final class HttpMatchRules {

    private HttpMatchRules() {
    }

    /**
     * @param toGateway the VirtualService is bound to gateways only, {@code mesh} not among them (JWT claims allowed)
     */
    static void check(HttpMatch m, String path, boolean toGateway, Findings f) {
        if (m.uri() instanceof StringMatch.Regex) {
            regex(m.uri(), path + ".uri", f); // an empty uri prefix is fine: it matches every path
        }
        stringMatch(m.scheme(), path + ".scheme", f);
        stringMatch(m.method(), path + ".method", f);
        stringMatch(m.authority(), path + ".authority", f);
        headers(m.headers(), m.headersPresent(), path + ".headers", toGateway, f);
        headers(m.withoutHeaders(), m.withoutHeadersPresent(), path + ".withoutHeaders", toGateway, f);
        new TreeMap<>(m.queryParams()).forEach((name, sm) -> stringMatch(sm, path + ".queryParams." + name, f));
        if (m.port() != 0) {
            f.errorIf("VS0208", path + ".port", Checks.port(m.port()));
        }
        f.errorIf("VS0206", path + ".sourceLabels", Checks.labels(m.sourceLabels()));
        if (!m.sourceNamespace().isEmpty() && !ServiceChecks.isDnsLabel(m.sourceNamespace())) {
            f.error("VS0207", path + ".sourceNamespace", "\"" + m.sourceNamespace() + "\" is not a namespace name");
        }
        VirtualServiceRules.gatewayNames(m.gateways(), path + ".gateways", f);
    }

    private static void headers(Map<String, StringMatch> values, List<String> present, String path,
                                boolean toGateway, Findings f) {
        Map<String, StringMatch> all = new TreeMap<>(values);
        present.forEach(name -> all.put(name, null));
        all.forEach((name, sm) -> {
            String at = path + "." + name;
            f.errorIf("VS0204", at, HttpChecks.matchHeaderName(name));
            if (name.startsWith(HttpChecks.JWT_CLAIM_PREFIX) && !toGateway) {
                f.error("VS0112", at, "routing on a JWT claim (" + name + ") works only on gateways; this "
                        + "VirtualService also applies to the mesh (no gateways, or \"mesh\" among them)");
            }
            // withoutHeaders regex "*" is not RE2: Istio reads it as "the header is absent".
            boolean absent = path.endsWith(".withoutHeaders") && sm instanceof StringMatch.Regex r
                    && r.value().equals("*");
            if (sm != null && !absent) {
                stringMatch(sm, at, f);
            }
        });
    }

    /** Istio's {@code validateStringMatch}: no empty prefix or regex, and a regex is valid RE2. */
    static void stringMatch(StringMatch sm, String path, Findings f) {
        if (sm instanceof StringMatch.Prefix p && p.value().isEmpty()) {
            f.error("VS0203", path + ".prefix", "an empty prefix is not allowed here; leave the match out to match "
                    + "anything");
        } else if (sm instanceof StringMatch.Regex) {
            regex(sm, path, f);
        }
    }

    private static void regex(StringMatch sm, String path, Findings f) {
        if (sm.value().isEmpty()) {
            f.error("VS0203", path + ".regex", "an empty regex is not allowed");
        } else {
            f.errorIf("VS0200", path + ".regex", RegexChecks.re2(sm.value()));
        }
    }

    private static Object empty(Map<?, ?> values, List<?> present) {
        return values.isEmpty() && present.isEmpty() ? null : values;
    }
}
