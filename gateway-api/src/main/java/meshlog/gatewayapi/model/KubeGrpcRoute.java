package meshlog.gatewayapi.model;

import java.util.List;
import meshlog.gatewayapi.model.KubeRouteParts.BackendRef;
import meshlog.gatewayapi.model.KubeRouteParts.ParentRef;
import meshlog.gatewayapi.model.KubeRouteParts.ValueMatch;

/**
 * Kubernetes Gateway API {@code GRPCRoute} ({@code gateway.networking.k8s.io/v1}): gRPC calls for {@code hostnames}
 * arriving at the {@code parentRefs} are matched by service/method and headers and sent to the rules' backends.
 */
public record KubeGrpcRoute(ObjectMeta metadata, List<ParentRef> parentRefs, List<String> hostnames,
                            List<Rule> rules) implements MeshResource {

    /** How service and method are compared. */
    public enum MethodMatchType { Exact, RegularExpression }

    /** A rule; no matches means every call. {@code name} is null when not written. */
    public record Rule(String name, List<Match> matches, List<KubeRouteFilter> filters,
                       List<BackendRef> backendRefs) {
        public Rule {
            matches = List.copyOf(matches);
            filters = List.copyOf(filters);
            backendRefs = List.copyOf(backendRefs);
        }
    }

    /** {@code method} null matches every service and method; header conditions are ANDed. */
    public record Match(MethodMatch method, List<ValueMatch> headers) {
        public Match {
            headers = List.copyOf(headers);
        }
    }

    /** {@code service} ({@code pkg.Service}) and {@code method} null when not written; type defaults to Exact. */
    public record MethodMatch(MethodMatchType type, String service, String method) {
        public MethodMatch {
            type = type == null ? MethodMatchType.Exact : type;
        }
    }

    public KubeGrpcRoute {
        parentRefs = List.copyOf(parentRefs);
        hostnames = List.copyOf(hostnames);
        rules = List.copyOf(rules);
    }

    @Override
    public String kind() {
        return "GRPCRoute";
    }
}
