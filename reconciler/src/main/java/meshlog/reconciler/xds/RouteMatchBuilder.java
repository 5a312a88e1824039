package meshlog.reconciler.xds;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import meshlog.reconciler.ir.HeaderMatchIr;
import meshlog.reconciler.ir.QueryMatchIr;
import meshlog.reconciler.ir.RouteMatchIr;
import meshlog.reconciler.ir.TextMatchIr;

/** A route's match as Envoy's RouteMatch: path (case-insensitive on request), headers, query parameters. */
final class RouteMatchBuilder {

    private RouteMatchBuilder() {
    }

    static RouteMatch build(RouteMatchIr ir) {
        RouteMatch.Builder match = RouteMatch.newBuilder();
        TextMatchIr path = ir.path();
        switch (path.kind()) {
            case EXACT -> match.setPath(path.value());
            case PREFIX -> match.setPrefix(path.value());
            case REGEX -> match.setSafeRegex(regex(path.value()));
            default -> throw new AssertionError(path.kind());
        }
        if (ir.ignoreCase()) {
            match.setCaseSensitive(BoolValue.of(false));
        }
        for (HeaderMatchIr h : ir.headers()) {
            HeaderMatcher.Builder hm = HeaderMatcher.newBuilder().setName(h.name());
            if (h.match() == null) {
                hm.setPresentMatch(true);
            } else {
                hm.setStringMatch(string(h.match()));
            }
            if (h.invert()) {
                hm.setInvertMatch(true);
                // As Istio (route.go, withoutHeaders): a request without the header is one that does not match
                // the value; Envoy would otherwise fail an inverted string matcher on an absent header.
                hm.setTreatMissingHeaderAsEmpty(h.match() != null);
            }
            match.addHeaders(hm);
        }
        for (QueryMatchIr q : ir.queryParams()) {
            QueryParameterMatcher.Builder qm = QueryParameterMatcher.newBuilder().setName(q.name());
            if (q.match() == null) {
                qm.setPresentMatch(true);
            } else {
                qm.setStringMatch(string(q.match()));
            }
            match.addQueryParameters(qm);
        }
        return match.build();
    }

    static StringMatcher string(TextMatchIr m) {
        return switch (m.kind()) {
            case EXACT -> StringMatcher.newBuilder().setExact(m.value()).build();
            case PREFIX -> StringMatcher.newBuilder().setPrefix(m.value()).build();
            case REGEX -> StringMatcher.newBuilder().setSafeRegex(regex(m.value())).build();
        };
    }

    @SuppressWarnings("deprecation") // google_re2 is deprecated in Envoy, yet older clients still expect it
    static RegexMatcher regex(String re) {
        return RegexMatcher.newBuilder().setGoogleRe2(RegexMatcher.GoogleRE2.getDefaultInstance()).setRegex(re)
                .build();
    }
}
