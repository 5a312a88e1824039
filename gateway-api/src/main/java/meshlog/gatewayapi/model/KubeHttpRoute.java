package meshlog.gatewayapi.model;

import java.time.Duration;
import java.util.List;
import meshlog.gatewayapi.model.KubeRouteParts.BackendRef;
import meshlog.gatewayapi.model.KubeRouteParts.ParentRef;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatch;

/**
 * Kubernetes Gateway API {@code HTTPRoute} ({@code gateway.networking.k8s.io/v1}, standard channel): HTTP requests
 * for {@code hostnames} arriving at the {@code parentRefs} (Gateways, or Services for mesh routing) are matched by
 * {@code rules} and sent to their backends. Defaults are the CRD's: no rules means one rule matching every path.
 */
public record KubeHttpRoute(ObjectMeta metadata, List<ParentRef> parentRefs, List<String> hostnames,
                            List<Rule> rules) implements MeshResource {

    /** How a path is compared; RegularExpression is implementation-specific (RE2 in Istio). */
    public enum PathType { Exact, PathPrefix, RegularExpression }

    /**
     * One rule: requests matching any of {@code matches} get {@code filters} applied and go to {@code backendRefs}.
     * {@code name} is null when not written; {@code timeouts} and {@code retry} null when absent.
     */
    public record Rule(String name, List<Match> matches, List<KubeRouteFilter> filters, List<BackendRef> backendRefs,
                       Timeouts timeouts, Retry retry) {
        public Rule {
            matches = matches == null || matches.isEmpty() ? List.of(Match.ALL) : List.copyOf(matches);
            filters = List.copyOf(filters);
            backendRefs = List.copyOf(backendRefs);
        }
    }

    /** Conditions ANDed together; {@code path} defaults to a PathPrefix match on {@code /}; method null = any. */
    public record Match(PathMatch path, List<ValueMatch> headers, List<ValueMatch> queryParams, String method) {
        /** The CRD's default match: every request. */
        public static final Match ALL = new Match(null, List.of(), List.of(), null);

        public Match {
            path = path == null ? PathMatch.ROOT : path;
            headers = List.copyOf(headers);
            queryParams = List.copyOf(queryParams);
        }
    }

    /** A path match; type defaults to PathPrefix and value to {@code /}. */
    public record PathMatch(PathType type, String value) {
        public static final PathMatch ROOT = new PathMatch(PathType.PathPrefix, "/");

        public PathMatch {
            type = type == null ? PathType.PathPrefix : type;
            value = value == null ? "/" : value;
        }
    }

    /** GEP-2257 durations; null when not written. Zero disables the timeout. */
    public record Timeouts(Duration request, Duration backendRequest) {
    }

    /** Retry on {@code codes} (HTTP statuses) up to {@code attempts} times, {@code backoff} apart; nulls when unset. */
    public record Retry(List<Integer> codes, Integer attempts, Duration backoff) {
        public Retry {
            codes = List.copyOf(codes);
        }
    }

    public KubeHttpRoute {
        parentRefs = List.copyOf(parentRefs);
        hostnames = List.copyOf(hostnames);
        rules = rules.isEmpty() ? List.of(new Rule(null, List.of(), List.of(), List.of(), null, null))
                : List.copyOf(rules);
    }

    @Override
    public String kind() {
        return "HTTPRoute";
    }
}
