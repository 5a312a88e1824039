package meshlog.configstore.scope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a proxy's config is a function of, besides its cluster: the kind of proxy, its namespace, the labels of its
 * workload and, for Envoy, how traffic reaches it. Proxies of one cluster with equal scopes get the same config;
 * the reconciler computes one snapshot per (cluster, scope) and distributors serve it.
 *
 * @param namespace the proxy's namespace; for {@link Kind#GRPC} it decides what short names ({@code reviews:9080})
 *                  resolve to, and empty means none do ({@link #GRPC})
 * @param labels the workload's labels, sorted; always empty for {@link Kind#GRPC}
 * @param interception how traffic reaches an Envoy sidecar; {@link Interception#NONE} for gRPC
 */
public record ProxyScope(Kind kind, String namespace, Map<String, String> labels, Interception interception) {

    /** The kinds of proxy served. */
    public enum Kind {
        /** An Envoy sidecar next to a workload (node id {@code sidecar~...}). */
        SIDECAR,
        /** A proxyless gRPC client (node metadata {@code GENERATOR: grpc}). */
        GRPC,
        /**
         * An Envoy gateway (node id {@code router~...}, as istio-ingressgateway): served the Gateways its labels
         * select, not a sidecar's outbound side.
         */
        ROUTER
    }

    /** Istio's {@code INTERCEPTION_MODE}: iptables redirects traffic to the proxy, or the proxy binds ports itself. */
    public enum Interception {
        REDIRECT,
        NONE
    }

    /**
     * The proxyless gRPC scope of no namespace: every name a client may dial but short names, whose meaning depends
     * on the client's namespace. Its content is that of every namespace whose short names name no service, so a
     * distributor serves it to a client whose own namespace's scope it has not received (yet).
     */
    public static final ProxyScope GRPC = new ProxyScope(Kind.GRPC, "", Map.of(), Interception.NONE);

    /** @throws IllegalArgumentException for a gRPC scope with labels or interception (gRPC scopes have neither) */
    public ProxyScope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(interception, "interception");
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        if (kind == Kind.GRPC && (!labels.isEmpty() || interception != Interception.NONE)) {
            throw new IllegalArgumentException("a gRPC scope has no labels and interception NONE");
        }
    }

    /** The scope of proxyless gRPC clients in {@code namespace} ({@link #GRPC} for an empty one). */
    public static ProxyScope grpc(String namespace) {
        return namespace.isEmpty() ? GRPC : new ProxyScope(Kind.GRPC, namespace, Map.of(), Interception.NONE);
    }

    /** An Envoy sidecar's scope. */
    public static ProxyScope sidecar(String namespace, Map<String, String> labels, Interception interception) {
        return new ProxyScope(Kind.SIDECAR, namespace, labels, interception);
    }

    /** An Envoy gateway's scope: its namespace and labels (gateways bind their ports themselves). */
    public static ProxyScope router(String namespace, Map<String, String> labels) {
        return new ProxyScope(Kind.ROUTER, namespace, labels, Interception.NONE);
    }

    /**
     * A short stable id, usable in Kafka keys and log lines: {@code grpc~<namespace>} ({@code grpc} for
     * {@link #GRPC}), or {@code sidecar~<namespace>~<interception>~<first 8 hex of the labels' SHA-256>}.
     * Namespaces are Kubernetes names, so the id holds only {@code [a-z0-9.~-]} and upper-case interception letters.
     */
    public String id() {
        if (kind == Kind.GRPC) {
            return namespace.isEmpty() ? "grpc" : "grpc~" + namespace;
        }
        if (kind == Kind.ROUTER) {
            return "router~" + namespace + "~" + labelsHash();
        }
        return "sidecar~" + namespace + "~" + interception + "~" + labelsHash();
    }

    private String labelsHash() {
        StringBuilder sb = new StringBuilder();
        labels.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return id() + (labels.isEmpty() ? "" : " " + labels);
    }
}
