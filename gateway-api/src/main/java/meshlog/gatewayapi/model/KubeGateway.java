package meshlog.gatewayapi.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kubernetes Gateway API {@code Gateway} ({@code gateway.networking.k8s.io/v1}): listeners (port, protocol,
 * hostname, TLS) that routes attach to, served by the controller of {@code gatewayClassName}.
 */
public record KubeGateway(ObjectMeta metadata, String gatewayClassName, List<Listener> listeners,
                          List<Address> addresses, Infrastructure infrastructure) implements MeshResource {

    /** Qualified, because Istio's own {@code Gateway} may have the same namespace and name. */
    public static final String QUALIFIED_KIND = "Gateway.gateway.networking.k8s.io";

    /** The protocols the Gateway API defines (compared case-insensitively); others are implementation-specific. */
    public enum CoreProtocol { HTTP, HTTPS, TLS, TCP, UDP }

    /** TLS handling of a listener; Terminate is the default. */
    public enum TlsMode { Terminate, Passthrough }

    /** Where routes may attach from; Same is the default. */
    public enum FromNamespaces { All, Selector, Same }

    /**
     * One listener. {@code hostname} and {@code tls} are null when not written, {@code port} 0 when missing;
     * {@code allowedRoutes} defaults to routes of the Gateway's own namespace.
     */
    public record Listener(String name, String hostname, int port, String protocol, ListenerTls tls,
                           AllowedRoutes allowedRoutes) {
        public Listener {
            name = name == null ? "" : name;
            protocol = protocol == null ? "" : protocol;
            allowedRoutes = allowedRoutes == null ? AllowedRoutes.DEFAULT : allowedRoutes;
        }

        /** The core protocol, case-insensitively, or null for an implementation-specific (or missing) one. */
        public CoreProtocol coreProtocol() {
            for (CoreProtocol p : CoreProtocol.values()) {
                if (p.name().equals(protocol.toUpperCase(Locale.ROOT))) {
                    return p;
                }
            }
            return null;
        }
    }

    /** A listener's TLS: {@code mode} defaults to Terminate; {@code options} are implementation-specific. */
    public record ListenerTls(TlsMode mode, List<SecretRef> certificateRefs, Map<String, String> options) {
        public ListenerTls {
            mode = mode == null ? TlsMode.Terminate : mode;
            certificateRefs = List.copyOf(certificateRefs);
            options = Map.copyOf(options);
        }
    }

    /** A certificate reference: a core {@code Secret} by default; {@code namespace} null means the Gateway's. */
    public record SecretRef(String group, String kind, String name, String namespace) {
        public SecretRef {
            group = group == null ? "" : group;
            kind = kind == null ? "Secret" : kind;
            name = name == null ? "" : name;
        }

        public String namespaceOr(String gatewayNamespace) {
            return namespace == null || namespace.isEmpty() ? gatewayNamespace : namespace;
        }
    }

    /** Which routes may attach: from which namespaces, and which kinds (empty: decided by the protocol). */
    public record AllowedRoutes(RouteNamespaces namespaces, List<RouteGroupKind> kinds) {
        public static final AllowedRoutes DEFAULT = new AllowedRoutes(null, List.of());

        public AllowedRoutes {
            namespaces = namespaces == null ? RouteNamespaces.SAME : namespaces;
            kinds = List.copyOf(kinds);
        }
    }

    /** {@code selector} is null when not written; it is used only with {@code from: Selector}. */
    public record RouteNamespaces(FromNamespaces from, LabelSelector selector) {
        public static final RouteNamespaces SAME = new RouteNamespaces(FromNamespaces.Same, null);

        public RouteNamespaces {
            from = from == null ? FromNamespaces.Same : from;
        }
    }

    /** A Kubernetes label selector: all {@code matchLabels} and all {@code matchExpressions} must hold. */
    public record LabelSelector(Map<String, String> matchLabels, List<LabelRequirement> matchExpressions) {
        public LabelSelector {
            matchLabels = Map.copyOf(matchLabels);
            matchExpressions = List.copyOf(matchExpressions);
        }
    }

    /** {@code operator} is In, NotIn, Exists or DoesNotExist. */
    public record LabelRequirement(String key, String operator, List<String> values) {
        public LabelRequirement {
            key = key == null ? "" : key;
            operator = operator == null ? "" : operator;
            values = List.copyOf(values);
        }
    }

    /** A route kind; the group defaults to {@code gateway.networking.k8s.io}. */
    public record RouteGroupKind(String group, String kind) {
        public RouteGroupKind {
            group = group == null ? KubeRouteParts.GATEWAY_GROUP : group;
            kind = kind == null ? "" : kind;
        }
    }

    /** A requested address; type defaults to IPAddress; {@code value} null asks the implementation to choose. */
    public record Address(String type, String value) {
        public Address {
            type = type == null ? "IPAddress" : type;
        }
    }

    /** Labels and annotations for what the Gateway creates, and implementation parameters (null when absent). */
    public record Infrastructure(Map<String, String> labels, Map<String, String> annotations,
                                 KubeRouteParts.LocalRef parametersRef) {
        public Infrastructure {
            labels = Map.copyOf(labels);
            annotations = Map.copyOf(annotations);
        }
    }

    public KubeGateway {
        gatewayClassName = gatewayClassName == null ? "" : gatewayClassName;
        listeners = List.copyOf(listeners);
        addresses = List.copyOf(addresses);
    }

    @Override
    public meshlog.gatewayapi.ResourceKey key() {
        return new meshlog.gatewayapi.ResourceKey(QUALIFIED_KIND, metadata().namespace(), metadata().name());
    }

    @Override
    public String kind() {
        return "Gateway";
    }
}
