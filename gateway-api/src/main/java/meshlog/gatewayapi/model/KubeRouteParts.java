package meshlog.gatewayapi.model;

import java.util.List;

/**
 * The parts HTTPRoute and GRPCRoute share ({@code gateway.networking.k8s.io/v1} {@code shared_types.go} and
 * {@code object_reference_types.go}): references to parents and backends, header matches and header filters.
 * Defaults are those of the CRD, so a reference reads the same whether a default was written or not.
 */
public final class KubeRouteParts {

    /** The API group of the Gateway API kinds, the default group of a parent reference. */
    public static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

    private KubeRouteParts() {
    }

    /**
     * A route's {@code parentRefs[]} entry: usually a Gateway (the default kind), or a Service for mesh routes
     * ({@code group: ""}). {@code namespace} is null when not written (the route's own namespace); {@code sectionName}
     * and {@code port} are null when not written.
     */
    public record ParentRef(String group, String kind, String namespace, String name, String sectionName,
                            Integer port) {
        public ParentRef {
            group = group == null ? GATEWAY_GROUP : group;
            kind = kind == null ? "Gateway" : kind;
            name = name == null ? "" : name;
        }

        /** The namespace the reference points into, given the route's own namespace. */
        public String namespaceOr(String routeNamespace) {
            return namespace == null || namespace.isEmpty() ? routeNamespace : namespace;
        }

        /** Whether the parent is a Gateway API {@code Gateway}. */
        public boolean isGateway() {
            return group.equals(GATEWAY_GROUP) && kind.equals("Gateway");
        }

        /** Whether the parent is a core {@code Service} (a mesh route). */
        public boolean isService() {
            return group.isEmpty() && kind.equals("Service");
        }
    }

    /**
     * A {@code BackendObjectReference}: a Service by default ({@code group: ""}); {@code namespace} null means the
     * route's own; {@code port} null when not written (required for a Service).
     */
    public record BackendObjectRef(String group, String kind, String name, String namespace, Integer port) {
        public BackendObjectRef {
            group = group == null ? "" : group;
            kind = kind == null ? "Service" : kind;
            name = name == null ? "" : name;
        }

        public String namespaceOr(String routeNamespace) {
            return namespace == null || namespace.isEmpty() ? routeNamespace : namespace;
        }

        /** Whether the backend is a core {@code Service}. */
        public boolean isService() {
            return group.isEmpty() && kind.equals("Service");
        }
    }

    /**
     * One of a rule's {@code backendRefs}: where matching requests go, in proportion {@code weight / sum of weights}
     * (default 1), with filters applied only on the way to this backend.
     */
    public record BackendRef(BackendObjectRef ref, int weight, List<KubeRouteFilter> filters) {
        public BackendRef {
            filters = List.copyOf(filters);
        }

        public String name() {
            return ref.name();
        }

        public String namespaceOr(String routeNamespace) {
            return ref.namespaceOr(routeNamespace);
        }

        public String kind() {
            return ref.kind();
        }

        public String group() {
            return ref.group();
        }

        public Integer port() {
            return ref.port();
        }
    }

    /** How a header, query parameter or gRPC header value is compared. */
    public enum ValueMatchType { Exact, RegularExpression }

    /** A header (or query parameter) match: {@code type} defaults to Exact. */
    public record ValueMatch(ValueMatchType type, String name, String value) {
        public ValueMatch {
            type = type == null ? ValueMatchType.Exact : type;
            name = name == null ? "" : name;
            value = value == null ? "" : value;
        }
    }

    /** A header name and value to set or add. */
    public record Header(String name, String value) {
        public Header {
            name = name == null ? "" : name;
            value = value == null ? "" : value;
        }
    }

    /** {@code HTTPHeaderFilter}: headers to set (overwrite), add (append) and remove, at most one action per name. */
    public record HeaderModifier(List<Header> set, List<Header> add, List<String> remove) {
        public HeaderModifier {
            set = List.copyOf(set);
            add = List.copyOf(add);
            remove = List.copyOf(remove);
        }
    }

    /** {@code numerator / denominator} of requests; the denominator defaults to 100. */
    public record Fraction(int numerator, int denominator) {
    }

    /** A reference to an object in the route's namespace ({@code extensionRef}); the group defaults to core. */
    public record LocalRef(String group, String kind, String name) {
        public LocalRef {
            group = group == null ? "" : group;
            kind = kind == null ? "" : kind;
            name = name == null ? "" : name;
        }
    }
}
