package meshlog.gatewayapi.model;

import java.util.List;
import meshlog.gatewayapi.model.KubeRouteParts.BackendObjectRef;
import meshlog.gatewayapi.model.KubeRouteParts.Fraction;
import meshlog.gatewayapi.model.KubeRouteParts.HeaderModifier;
import meshlog.gatewayapi.model.KubeRouteParts.LocalRef;

/**
 * One entry of a route rule's (or backend's) {@code filters}: exactly one kind of processing, named by
 * {@link #type()} as the Gateway API writes it. GRPCRoute uses only the header modifiers, the mirror and the
 * extension reference.
 */
public sealed interface KubeRouteFilter {

    /** The filter's {@code type} as written in YAML ({@code RequestHeaderModifier}, {@code URLRewrite}, ...). */
    String type();

    record RequestHeaderModifier(HeaderModifier modifier) implements KubeRouteFilter {
        @Override
        public String type() {
            return "RequestHeaderModifier";
        }
    }

    record ResponseHeaderModifier(HeaderModifier modifier) implements KubeRouteFilter {
        @Override
        public String type() {
            return "ResponseHeaderModifier";
        }
    }

    /** {@code scheme}, {@code hostname}, {@code path}, {@code port} null when not written; status code default 302. */
    record RequestRedirect(String scheme, String hostname, PathModifier path, Integer port, int statusCode)
            implements KubeRouteFilter {
        @Override
        public String type() {
            return "RequestRedirect";
        }
    }

    /** {@code hostname} and {@code path} null when not written. */
    record UrlRewrite(String hostname, PathModifier path) implements KubeRouteFilter {
        @Override
        public String type() {
            return "URLRewrite";
        }
    }

    /** Mirrors to {@code backendRef}: {@code percent} or {@code fraction} (at most one; neither means 100%). */
    record RequestMirror(BackendObjectRef backendRef, Integer percent, Fraction fraction) implements KubeRouteFilter {
        @Override
        public String type() {
            return "RequestMirror";
        }
    }

    /** CORS; {@code allowCredentials} null when not written; {@code maxAge} in seconds, default 5. */
    record Cors(List<String> allowOrigins, Boolean allowCredentials, List<String> allowMethods,
                List<String> allowHeaders, List<String> exposeHeaders, int maxAge) implements KubeRouteFilter {
        public Cors {
            allowOrigins = List.copyOf(allowOrigins);
            allowMethods = List.copyOf(allowMethods);
            allowHeaders = List.copyOf(allowHeaders);
            exposeHeaders = List.copyOf(exposeHeaders);
        }

        @Override
        public String type() {
            return "CORS";
        }
    }

    /** An implementation-specific filter defined by another object. */
    record ExtensionRef(LocalRef ref) implements KubeRouteFilter {
        @Override
        public String type() {
            return "ExtensionRef";
        }
    }

    /** How a redirect or rewrite changes the path. */
    enum PathModifierType { ReplaceFullPath, ReplacePrefixMatch }

    /** The replacement value is null when the field matching the type was not written (reported). */
    record PathModifier(PathModifierType type, String replaceFullPath, String replacePrefixMatch) {
    }
}
