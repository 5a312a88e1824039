package meshlog.xds.proxy;

import java.util.Objects;

/**
 * Proxies that are served the same snapshot: one (cluster, scope)'s routing plus one workload identity's secrets.
 * The key of java-control-plane's {@code NodeGroup}.
 *
 * @param secrets whether the group's proxies are served SDS secrets the distributor mints: only on the plaintext
 *                port with {@code --insecure-plaintext} (proxies on the mTLS port get theirs from their agent)
 */
public record ProxyGroup(String cluster, String scope, String namespace, String serviceAccount, boolean secrets) {

    public ProxyGroup {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
    }

    /** A group served no secrets. */
    public ProxyGroup(String cluster, String scope, String namespace, String serviceAccount) {
        this(cluster, scope, namespace, serviceAccount, false);
    }

    /** A proxyless gRPC client's group: the scope of its namespace. */
    public ProxyGroup(String cluster, String namespace, String serviceAccount) {
        this(cluster, meshlog.configstore.scope.ProxyScope.grpc(namespace).id(), namespace, serviceAccount);
    }

    @Override
    public String toString() {
        return cluster + "/" + scope + "/" + namespace + "/" + serviceAccount + (secrets ? "" : " (no secrets)");
    }
}
