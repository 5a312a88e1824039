package meshlog.xds.grpc;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import java.util.regex.Pattern;
import meshlog.ca.WorkloadIdentity;
import meshlog.configstore.LogSafe;
import meshlog.xds.proxy.ProxyNode;

/**
 * Admits only proxies of the one cluster this distributor serves, refusing the others with PERMISSION_DENIED.
 * {@link AdsStreamInterceptor} applies {@link #refusal} to a stream's first request; as a java-control-plane callback
 * this class refuses a proxy that changes its claim on a later request (java-control-plane turns the
 * {@link RequestException} into the stream's status and cancels its watches; its own ERROR line, a stack trace, is
 * switched off in the logging configuration, as {@link EdgeGuard} logs the refusal).
 */
final class ClusterGate implements DiscoveryServerCallbacks {

    private final String cluster;

    ClusterGate(String cluster) {
        this.cluster = cluster;
    }

    /** A namespace is an RFC 1123 label; a service account an RFC 1123 subdomain (dots allowed). */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
            + "[a-z0-9])?)*");

    /** Why {@code proxy} may not be served, or null if it may. */
    Status refusal(ProxyNode proxy) {
        if (cluster.equals(proxy.cluster())) {
            Status ns = badName(proxy, ProxyNode.NAMESPACE, proxy.namespace(), LABEL, 63);
            Status bad = ns != null ? ns
                    : badName(proxy, ProxyNode.SERVICE_ACCOUNT, proxy.serviceAccount(), SUBDOMAIN, 253);
            return bad != null ? bad : impersonation(proxy);
        }
        String claim = proxy.cluster() == null
                ? "sent no " + ProxyNode.CLUSTER_ID + " in its node metadata"
                : "claimed cluster '" + LogSafe.value(proxy.cluster(), 100) + "'";
        return Status.PERMISSION_DENIED.withDescription("this xDS distributor serves cluster '" + cluster
                + "'; proxy '" + LogSafe.value(proxy.id()) + "' " + claim);
    }

    /**
     * On the mTLS port the certificate says who the proxy is; node metadata claiming another namespace or service
     * account is refused (Istio's {@code PERMISSION_DENIED} for a proxy whose metadata disagrees with its
     * authenticated identity), naming both, so a leaked or mistyped bootstrap is found at once.
     */
    private static Status impersonation(ProxyNode proxy) {
        if (proxy.peer() == null) {
            return null;
        }
        String trustDomain = java.net.URI.create(proxy.peer()).getRawAuthority();
        WorkloadIdentity proven = WorkloadIdentity.fromSpiffeId(trustDomain, proxy.peer()).orElseThrow();
        if (proven.namespace().equals(proxy.namespace()) && proven.serviceAccount().equals(proxy.serviceAccount())) {
            return null;
        }
        return Status.PERMISSION_DENIED.withDescription("proxy '" + LogSafe.value(proxy.id()) + "': its client"
                + " certificate is " + proxy.peer() + " (namespace '" + proven.namespace() + "', service account '"
                + proven.serviceAccount() + "'), but its node metadata claims namespace '"
                + LogSafe.value(proxy.namespace(), 63) + "' and service account '"
                + LogSafe.value(proxy.serviceAccount(), 253) + "'");
    }

    /** A name no certificate can be issued for is refused up front, instead of failing at every SDS push. */
    private static Status badName(ProxyNode proxy, String field, String value, Pattern pattern, int max) {
        if (value.length() <= max && pattern.matcher(value).matches()) {
            return null;
        }
        return Status.INVALID_ARGUMENT.withDescription("proxy '" + LogSafe.value(proxy.id()) + "': node metadata "
                + field + " '" + LogSafe.value(value, 100) + "' is not a Kubernetes name (lower-case letters, digits, '-'"
                + (pattern == SUBDOMAIN ? " and '.'" : "") + ", at most " + max + ")");
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
        check(streamId, request.getNode());
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) throws RequestException {
        check(streamId, request.getNode());
    }

    /** The refusal is logged by {@link EdgeGuard} when the stream closes with it. */
    private void check(long streamId, Node node) throws RequestException {
        Status refusal = refusal(ProxyNode.of(node));
        if (refusal != null) {
            throw new RequestException(refusal);
        }
    }
}
