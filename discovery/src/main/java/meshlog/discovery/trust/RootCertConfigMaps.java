package meshlog.discovery.trust;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio's namespace controller: every namespace but Kubernetes' own housekeeping ones holds a ConfigMap
 * {@value #NAME} whose key {@value #KEY} is the mesh root, labelled {@code istio.io/config: "true"}. A missing one is
 * created, one whose root differs (an edit, a root rotation) is updated in that key only (other keys a user added
 * stay, as Istio's merge keeps them), a terminating namespace is left alone (a create there would be refused).
 * kube-system is served, as Istio serves it since ztunnel runs there.
 */
public final class RootCertConfigMaps {

    public static final String NAME = "istio-ca-root-cert";
    public static final String KEY = "root-cert.pem";
    public static final Map<String, String> LABELS = Map.of("istio.io/config", "true");
    /** Istio's inject.IgnoredNamespaces without kube-system. */
    static final Set<String> IGNORED = Set.of("kube-public", "kube-node-lease", "local-path-storage");

    /** A namespace as the API server has it. */
    public record Namespace(String name, boolean terminating) {
    }

    /** The {@value #NAME} ConfigMap of {@code namespace} as it is now. */
    public record Existing(String namespace, Map<String, String> data, Map<String, String> labels) {
        public Existing {
            data = data == null ? Map.of() : Map.copyOf(data);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /** One write: create the ConfigMap in {@code namespace}, or set its root key (and label) in place. */
    public record Write(String namespace, boolean create) {
    }

    private RootCertConfigMaps() {
    }

    /** The writes that make every served namespace hold {@code rootPem}, in namespace order; none when all do. */
    public static List<Write> plan(List<Namespace> namespaces, Map<String, Existing> byNamespace, String rootPem) {
        List<Write> out = new ArrayList<>();
        for (Namespace ns : namespaces.stream().sorted(Comparator.comparing(Namespace::name)).toList()) {
            if (ns.terminating() || IGNORED.contains(ns.name())) {
                continue;
            }
            Existing e = byNamespace.get(ns.name());
            if (e == null) {
                out.add(new Write(ns.name(), true));
            } else if (!rootPem.equals(e.data().get(KEY)) || !e.labels().entrySet().containsAll(LABELS.entrySet())) {
                out.add(new Write(ns.name(), false));
            }
        }
        return out;
    }
}
