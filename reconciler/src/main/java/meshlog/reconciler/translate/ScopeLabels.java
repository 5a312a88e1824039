package meshlog.reconciler.translate;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.PeerAuthentication;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.VirtualService;

/**
 * The part of a scope its translation reads. For a sidecar: only the label keys some config object selects on
 * (VirtualService {@code sourceLabels}, Sidecar and ServiceEntry {@code workloadSelector}s,
 * AuthorizationPolicy, PeerAuthentication and Gateway {@code selector}s). Two scopes of one
 * namespace and interception mode whose labels agree on those keys translate to the same config, so the
 * reconciler computes it once for both. For a proxyless gRPC scope: its namespace, only if a short name resolves
 * in it ({@link #grpcNamespaces}); every other namespace translates like {@link ProxyScope#GRPC}. Every translator
 * that reads {@link ProxyScope#labels()}, or a gRPC scope's namespace, must add what it reads here.
 */
public final class ScopeLabels {

    private ScopeLabels() {
    }

    /** The label keys any object of {@code model} selects on, sorted. */
    public static Set<String> keysRead(MeshTranslator.ClusterModel model) {
        Set<String> keys = new TreeSet<>();
        for (VirtualService vs : model.virtualServices()) {
            vs.http().forEach(h -> h.match().forEach(m -> keys.addAll(m.sourceLabels().keySet())));
        }
        for (Sidecar sc : model.sidecars()) {
            if (sc.workloadSelector() != null) {
                keys.addAll(sc.workloadSelector().labels().keySet());
            }
        }
        model.authorizationPolicies().stream().filter(ap -> ap.target().selector() != null)
                .forEach(ap -> keys.addAll(ap.target().selector().matchLabels().keySet()));
        model.gateways().forEach(g -> keys.addAll(g.selector().keySet()));
        for (ServiceEntry se : model.serviceEntries()) {
            if (se.workloadSelector() != null) {
                keys.addAll(se.workloadSelector().labels().keySet());
            }
        }
        for (PeerAuthentication pa : model.peerAuthentications()) {
            if (pa.selector() != null) {
                keys.addAll(pa.selector().matchLabels().keySet());
            }
        }
        return keys;
    }

    /**
     * The namespaces whose gRPC scope differs from {@link ProxyScope#GRPC}: those of the services' short names
     * ({@code <name>.<ns>.svc.cluster.local}, {@link GrpcLayout}) and those an HTTP match's {@code sourceNamespace}
     * names. Sorted.
     */
    public static Set<String> grpcNamespaces(MeshTranslator.ClusterModel model) {
        Set<String> out = new TreeSet<>();
        model.services().forEach(s -> {
            String ns = SidecarLayout.shortNameNamespace(s.host());
            if (ns != null) {
                out.add(ns);
            }
        });
        for (VirtualService vs : model.virtualServices()) {
            vs.http().forEach(h -> h.match().forEach(m -> {
                if (!m.sourceNamespace().isEmpty()) {
                    out.add(m.sourceNamespace());
                }
            }));
        }
        return out;
    }

    /**
     * What {@code scope}'s translation depends on: a sidecar with only the labels whose keys are in {@code keys};
     * a gRPC scope itself if its namespace is one of {@code grpcNamespaces}, else {@link ProxyScope#GRPC}.
     */
    public static ProxyScope relevant(ProxyScope scope, Set<String> keys, Set<String> grpcNamespaces) {
        if (scope.kind() == ProxyScope.Kind.GRPC) {
            return grpcNamespaces.contains(scope.namespace()) ? scope : ProxyScope.GRPC;
        }
        return relevant(scope, keys);
    }

    /** {@code scope} with only the labels whose keys are in {@code keys}: what its translation depends on. */
    public static ProxyScope relevant(ProxyScope scope, Set<String> keys) {
        Map<String, String> kept = new TreeMap<>(scope.labels());
        kept.keySet().retainAll(keys);
        return new ProxyScope(scope.kind(), scope.namespace(), kept, scope.interception());
    }
}
