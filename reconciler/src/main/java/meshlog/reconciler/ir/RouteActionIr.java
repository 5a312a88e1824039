package meshlog.reconciler.ir;

import java.util.List;

/** What a matched route does. */
public sealed interface RouteActionIr permits RouteActionIr.Forward, RouteActionIr.ToCluster,
        RouteActionIr.Redirect, RouteActionIr.DirectResponse {

    /**
     * Sends the request to the backends, split by weight.
     *
     * @param backends one (weight then unused) or several with weights above 0
     * @param rewrite null when the request goes as it came
     * @param mirrors backends that get a copy of the request, whose answers nobody waits for
     * @param hash what the backends' consistent hash uses; null when they use none
     */
    record Forward(List<WeightedBackendIr> backends, RewriteIr rewrite, List<MirrorIr> mirrors, HashPolicyIr hash)
            implements RouteActionIr {
        public Forward {
            backends = List.copyOf(backends);
            mirrors = List.copyOf(mirrors);
        }

        public Forward(List<WeightedBackendIr> backends) {
            this(backends, null, List.of(), null);
        }
    }

    /** Sends the request to one of Istio's fixed clusters (e.g. {@code PassthroughCluster}). */
    record ToCluster(String cluster) implements RouteActionIr {
    }

    /**
     * Answers with a redirect.
     *
     * @param path the new path, empty to keep it; {@code prefixRewrite} replaces the matched prefix instead
     * @param authority empty to keep it
     * @param port 0 to keep it
     * @param scheme empty to keep it
     * @param code 301, 302, 303, 307 or 308
     */
    record Redirect(String path, String prefixRewrite, String authority, int port, String scheme, int code)
            implements RouteActionIr {
    }

    /**
     * Answers without a backend.
     *
     * @param body null for none
     */
    record DirectResponse(int status, String body) implements RouteActionIr {
    }

    /**
     * How a forwarded request is changed.
     *
     * @param prefix replaces the matched path prefix; empty to keep the path
     * @param regex with {@code substitution}, rewrites the path by an RE2 pattern; empty for none
     * @param authority replaces the Host/authority; empty to keep it
     */
    record RewriteIr(String prefix, String regex, String substitution, String authority) {
    }

    /**
     * A mirror of a route's traffic.
     *
     * @param percent of requests copied, 0..100
     */
    record MirrorIr(BackendRef backend, double percent) {
    }
}
