package meshlog.gatewayapi.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.ResourceKey;

/**
 * Istio {@code VirtualService}: how requests for some hosts are matched and routed. Every field of Istio's
 * {@code networking.v1.VirtualService} is here; an object that is not given is null, a list or map that is not
 * given is empty.
 *
 * @param hosts empty for a delegate VirtualService (used only through another one's {@code delegate})
 * @param gateways empty means the reserved {@code mesh} (the sidecars)
 */
public record VirtualService(ObjectMeta metadata, List<String> hosts, List<String> gateways, List<HttpRoute> http,
                             List<TlsRoute> tls, List<TcpRoute> tcp, List<String> exportTo)
        implements MeshResource {

    /** The reserved gateway name for the sidecars of the mesh; no {@code gateways} at all means it too. */
    public static final String MESH_GATEWAY = "mesh";

    /**
     * The Gateway a VirtualService written in {@code namespace} names ({@code ns/name}, legacy {@code name.ns}, or
     * same-namespace {@code name}), as validation and the gateway translation read it; null for {@code mesh}.
     */
    public static ResourceKey gatewayKey(String ref, String namespace) {
        if (ref.equals(MESH_GATEWAY) || ref.isEmpty()) {
            return null;
        }
        int slash = ref.indexOf('/');
        if (slash >= 0) {
            return new ResourceKey("Gateway", ref.substring(0, slash), ref.substring(slash + 1));
        }
        int dot = ref.indexOf('.');
        if (dot >= 0) {
            String rest = ref.substring(dot + 1);
            int next = rest.indexOf('.');
            return new ResourceKey("Gateway", next < 0 ? rest : rest.substring(0, next), ref.substring(0, dot));
        }
        return new ResourceKey("Gateway", namespace, ref);
    }

    /** Whether the routes apply to the mesh's sidecars (no gateways, or {@code mesh} among them), as Istio decides. */
    public boolean appliesToMesh() {
        return gateways.isEmpty() || gateways.contains(MESH_GATEWAY);
    }

    public VirtualService {
        hosts = List.copyOf(hosts);
        gateways = List.copyOf(gateways);
        http = List.copyOf(http);
        tls = List.copyOf(tls);
        tcp = List.copyOf(tcp);
        exportTo = List.copyOf(exportTo);
    }

    /** HTTP routes only: no TLS or TCP routes, visible to every namespace. */
    public VirtualService(ObjectMeta metadata, List<String> hosts, List<String> gateways, List<HttpRoute> http) {
        this(metadata, hosts, gateways, http, List.of(), List.of(), List.of());
    }

    @Override
    public String kind() {
        return "VirtualService";
    }

    /**
     * One entry of {@code spec.http}: the first route whose match applies wins, as in Istio. Its action is one of
     * {@code route}, {@code redirect}, {@code directResponse} or (on a root VirtualService) {@code delegate}.
     *
     * @param mirrorPercentage null when not given (Istio then mirrors 100%)
     * @param mirrorPercent the deprecated integer form of {@code mirrorPercentage}; null when not given
     */
    public record HttpRoute(String name, List<HttpMatch> match, List<RouteDestination> route, Redirect redirect,
                            DirectResponse directResponse, Delegate delegate, Rewrite rewrite, Duration timeout,
                            Retries retries, Fault fault, Destination mirror, List<MirrorPolicy> mirrors,
                            Double mirrorPercentage, Integer mirrorPercent, CorsPolicy corsPolicy, Headers headers) {
        public HttpRoute {
            name = name == null ? "" : name;
            match = List.copyOf(match);
            route = List.copyOf(route);
            mirrors = List.copyOf(mirrors);
        }

        /** A route to destinations, with nothing else set. */
        public HttpRoute(String name, List<HttpMatch> match, List<RouteDestination> route) {
            this(name, match, route, null, null, null, null, null, null, null, null, List.of(), null, null, null,
                    null);
        }
    }

    /**
     * One entry of {@code match[]}: its conditions are ANDed; the entries of {@code match[]} are ORed. A header or
     * query parameter written with an empty match ({@code {}}) asks only that it is present (or, under
     * {@code withoutHeaders}, absent); those are the {@code ...Present} lists, the others the maps.
     *
     * @param port 0 when not given
     */
    public record HttpMatch(String name, StringMatch uri, StringMatch scheme, StringMatch method,
                            StringMatch authority, Map<String, StringMatch> headers, List<String> headersPresent,
                            Map<String, StringMatch> withoutHeaders, List<String> withoutHeadersPresent,
                            Map<String, StringMatch> queryParams, List<String> queryParamsPresent, int port,
                            Map<String, String> sourceLabels, String sourceNamespace, List<String> gateways,
                            boolean ignoreUriCase, String statPrefix) {
        public HttpMatch {
            name = name == null ? "" : name;
            headers = Map.copyOf(headers);
            headersPresent = List.copyOf(headersPresent);
            withoutHeaders = Map.copyOf(withoutHeaders);
            withoutHeadersPresent = List.copyOf(withoutHeadersPresent);
            queryParams = Map.copyOf(queryParams);
            queryParamsPresent = List.copyOf(queryParamsPresent);
            sourceLabels = Map.copyOf(sourceLabels);
            sourceNamespace = sourceNamespace == null ? "" : sourceNamespace;
            gateways = List.copyOf(gateways);
            statPrefix = statPrefix == null ? "" : statPrefix;
        }

        /** A match on the path and header values only. */
        public HttpMatch(String name, StringMatch uri, Map<String, StringMatch> headers) {
            this(name, uri, null, null, null, headers, List.of(), Map.of(), List.of(), Map.of(), List.of(), 0,
                    Map.of(), "", List.of(), false, "");
        }
    }

    /**
     * A destination with its weight: an HTTP route's (which may also change headers) or a TLS or TCP route's.
     *
     * @param weight null when the user gave none (Istio: 100 for a single destination)
     * @param headers null when not given (always for TLS and TCP routes)
     */
    public record RouteDestination(Destination destination, Integer weight, Headers headers) {

        public RouteDestination(Destination destination, Integer weight) {
            this(destination, weight, null);
        }
    }

    /** {@code subset} is empty and {@code port} 0 when not given. */
    public record Destination(String host, String subset, int port) {
        public Destination {
            subset = subset == null ? "" : subset;
        }
    }

    /** Header changes for requests and responses; either side is null when not given. */
    public record Headers(HeaderOperations request, HeaderOperations response) {
    }

    /** {@code set} replaces a header, {@code add} appends a value, {@code remove} drops it. */
    public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {
        public HeaderOperations {
            set = Map.copyOf(set);
            add = Map.copyOf(add);
            remove = List.copyOf(remove);
        }
    }

    /**
     * Answers with a redirect. At most one of {@code port} and {@code derivePort} is set.
     *
     * @param redirectCode 301 when not given (or given as 0), as in Istio
     */
    public record Redirect(String uri, String authority, Integer port, DerivePort derivePort, String scheme,
                           int redirectCode, String prefixRewrite) {
        public Redirect {
            uri = uri == null ? "" : uri;
            authority = authority == null ? "" : authority;
            scheme = scheme == null ? "" : scheme;
            redirectCode = redirectCode == 0 ? 301 : redirectCode;
            prefixRewrite = prefixRewrite == null ? "" : prefixRewrite;
        }
    }

    /** How a redirect picks its port when none is given. */
    public enum DerivePort { FROM_PROTOCOL_DEFAULT, FROM_REQUEST_PORT }

    /** Answers directly, without a backend. {@code status} is 0 when not given (an error). */
    public record DirectResponse(int status, Body body) {
    }

    /** The body of a direct response: exactly one of text or bytes. */
    public sealed interface Body {

        /** The body's size in bytes. */
        int size();

        record Text(String value) implements Body {
            @Override
            public int size() {
                return value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
        }

        /** Bytes as written: base64 (kept as text so records compare by value). */
        record Bytes(String base64) implements Body {
            @Override
            public int size() {
                byte[] bytes = decode(base64);
                return bytes == null ? base64.length() : bytes.length;
            }

            /**
             * The bytes, as protobuf JSON reads them: standard or URL-safe base64, padding optional; null when the
             * text is not base64.
             */
            public static byte[] decode(String base64) {
                try {
                    return java.util.Base64.getDecoder().decode(base64);
                } catch (IllegalArgumentException e) {
                    try {
                        return java.util.Base64.getUrlDecoder().decode(base64);
                    } catch (IllegalArgumentException e2) {
                        return null;
                    }
                }
            }
        }
    }

    /** Hands the route to another VirtualService; {@code namespace} is empty for the root's own namespace. */
    public record Delegate(String name, String namespace) {
        public Delegate {
            name = name == null ? "" : name;
            namespace = namespace == null ? "" : namespace;
        }
    }

    /** Rewrites the request before forwarding. {@code uri} and {@code uriRegexRewrite} exclude each other. */
    public record Rewrite(String uri, String authority, RegexRewrite uriRegexRewrite) {
        public Rewrite {
            uri = uri == null ? "" : uri;
            authority = authority == null ? "" : authority;
        }
    }

    /** Replaces what the RE2 regex {@code match} matches in the path with {@code rewrite}. */
    public record RegexRewrite(String match, String rewrite) {
        public RegexRewrite {
            match = match == null ? "" : match;
            rewrite = rewrite == null ? "" : rewrite;
        }
    }

    /**
     * Retry policy. {@code attempts} 0 (also when not given) disables retries.
     *
     * @param retryOn comma-separated Envoy retry conditions and HTTP status codes; empty when not given
     */
    public record Retries(int attempts, Duration perTryTimeout, String retryOn, Boolean retryRemoteLocalities,
                          Boolean retryIgnorePreviousHosts, Duration backoff) {
        public Retries {
            retryOn = retryOn == null ? "" : retryOn;
        }
    }

    /** Fault injection; either part is null when not given. */
    public record Fault(FaultDelay delay, FaultAbort abort) {
    }

    /**
     * Delays requests. At most one of {@code fixedDelay} and {@code exponentialDelay}.
     *
     * @param percentage of requests delayed, null when not given
     * @param percent the deprecated integer form of {@code percentage}
     */
    public record FaultDelay(Duration fixedDelay, Duration exponentialDelay, Double percentage, Integer percent) {
    }

    /**
     * Aborts requests; at most one of the error types is set.
     *
     * @param percentage of requests aborted, null when not given
     */
    public record FaultAbort(Integer httpStatus, String grpcStatus, String http2Error, Double percentage) {
    }

    /** One of {@code mirrors}: a copy of the traffic goes to {@code destination}. */
    public record MirrorPolicy(Destination destination, Double percentage) {
    }

    /**
     * Cross-origin resource sharing.
     *
     * @param allowOrigin the deprecated list of exact origins (use {@code allowOrigins})
     */
    public record CorsPolicy(List<StringMatch> allowOrigins, List<String> allowOrigin, List<String> allowMethods,
                             List<String> allowHeaders, List<String> exposeHeaders, Duration maxAge,
                             Boolean allowCredentials, UnmatchedPreflights unmatchedPreflights) {
        public CorsPolicy {
            allowOrigins = List.copyOf(allowOrigins);
            allowOrigin = List.copyOf(allowOrigin);
            allowMethods = List.copyOf(allowMethods);
            allowHeaders = List.copyOf(allowHeaders);
            exposeHeaders = List.copyOf(exposeHeaders);
        }
    }

    /** What happens to a preflight request that matches no allowed origin. */
    public enum UnmatchedPreflights { UNSPECIFIED, FORWARD, IGNORE }

    /** One entry of {@code spec.tls}: TLS passthrough routing by SNI. */
    public record TlsRoute(List<TlsMatch> match, List<RouteDestination> route) {
        public TlsRoute {
            match = List.copyOf(match);
            route = List.copyOf(route);
        }
    }

    /** {@code port} is 0 when not given. */
    public record TlsMatch(List<String> sniHosts, List<String> destinationSubnets, int port,
                           Map<String, String> sourceLabels, List<String> gateways, String sourceNamespace) {
        public TlsMatch {
            sniHosts = List.copyOf(sniHosts);
            destinationSubnets = List.copyOf(destinationSubnets);
            sourceLabels = Map.copyOf(sourceLabels);
            gateways = List.copyOf(gateways);
            sourceNamespace = sourceNamespace == null ? "" : sourceNamespace;
        }
    }

    /** One entry of {@code spec.tcp}: opaque TCP routing. */
    public record TcpRoute(List<L4Match> match, List<RouteDestination> route) {
        public TcpRoute {
            match = List.copyOf(match);
            route = List.copyOf(route);
        }
    }

    /** {@code port} is 0 and {@code sourceSubnet} empty when not given. */
    public record L4Match(List<String> destinationSubnets, int port, String sourceSubnet,
                          Map<String, String> sourceLabels, List<String> gateways, String sourceNamespace) {
        public L4Match {
            destinationSubnets = List.copyOf(destinationSubnets);
            sourceSubnet = sourceSubnet == null ? "" : sourceSubnet;
            sourceLabels = Map.copyOf(sourceLabels);
            gateways = List.copyOf(gateways);
            sourceNamespace = sourceNamespace == null ? "" : sourceNamespace;
        }
    }
}
