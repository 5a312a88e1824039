package meshlog.discovery.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import meshlog.discovery.kube.KubeEndpointSlice;
import meshlog.discovery.kube.KubeNamespace;
import meshlog.discovery.kube.KubeNode;
import meshlog.discovery.kube.KubePod;
import meshlog.discovery.kube.KubeService;
import meshlog.discovery.kube.KubeServicePort;

/** fabric8's API objects → discovery's records. Null-tolerant everywhere: the API leaves most fields unset. */
final class KubeMapper {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private KubeMapper() {
    }

    static KubeService service(Service s) {
        var spec = s.getSpec();
        List<String> ips = new ArrayList<>(orEmpty(spec == null ? null : spec.getClusterIPs()));
        if (ips.isEmpty() && spec != null && spec.getClusterIP() != null) {
            ips.add(spec.getClusterIP());
        }
        List<KubeServicePort> ports = new ArrayList<>();
        for (ServicePort p : orEmpty(spec == null ? null : spec.getPorts())) {
            ports.add(new KubeServicePort(p.getName(), p.getPort() == null ? 0 : p.getPort(), p.getProtocol(),
                    p.getAppProtocol(), target(p.getTargetPort())));
        }
        return new KubeService(ns(s.getMetadata()), name(s.getMetadata()), spec == null ? null : spec.getType(),
                ips, spec == null ? null : spec.getExternalName(), ports, labels(s.getMetadata()),
                KubeService.exportTo(s.getMetadata() == null || s.getMetadata().getAnnotations() == null ? null
                        : s.getMetadata().getAnnotations().get(KubeService.EXPORT_TO_ANNOTATION)));
    }

    private static String target(IntOrString t) {
        if (t == null) {
            return "";
        }
        return t.getIntVal() != null ? String.valueOf(t.getIntVal()) : t.getStrVal() == null ? "" : t.getStrVal();
    }

    static KubeEndpointSlice slice(EndpointSlice s) {
        List<KubeEndpointSlice.SlicePort> ports = new ArrayList<>();
        for (EndpointPort p : orEmpty(s.getPorts())) {
            ports.add(new KubeEndpointSlice.SlicePort(p.getName(), p.getPort(), p.getProtocol()));
        }
        List<KubeEndpointSlice.SliceEndpoint> endpoints = new ArrayList<>();
        for (Endpoint e : orEmpty(s.getEndpoints())) {
            EndpointConditions c = e.getConditions();
            ObjectReference ref = e.getTargetRef();
            String pod = ref != null && "Pod".equals(ref.getKind()) ? ref.getName() : "";
            endpoints.add(new KubeEndpointSlice.SliceEndpoint(orEmpty(e.getAddresses()),
                    c == null ? null : c.getReady(), c == null ? null : c.getServing(),
                    c == null ? null : c.getTerminating(), e.getNodeName(), e.getZone(), pod));
        }
        return new KubeEndpointSlice(ns(s.getMetadata()), name(s.getMetadata()),
                labels(s.getMetadata()).get(SERVICE_NAME_LABEL), s.getAddressType(), ports, endpoints);
    }

    static KubePod pod(Pod p) {
        Map<String, Integer> named = new HashMap<>();
        var spec = p.getSpec();
        for (Container c : orEmpty(spec == null ? null : spec.getContainers())) {
            for (ContainerPort cp : orEmpty(c.getPorts())) {
                if (cp.getName() != null && cp.getContainerPort() != null) {
                    named.putIfAbsent(cp.getName(), cp.getContainerPort());
                }
            }
        }
        return new KubePod(ns(p.getMetadata()), name(p.getMetadata()), labels(p.getMetadata()),
                spec == null ? null : spec.getServiceAccountName(), spec == null ? null : spec.getNodeName(), named,
                p.getStatus() == null ? null : p.getStatus().getPhase());
    }

    static KubeNode node(Node n) {
        return new KubeNode(name(n.getMetadata()), labels(n.getMetadata()));
    }

    static KubeNamespace namespace(Namespace n) {
        return new KubeNamespace(name(n.getMetadata()), labels(n.getMetadata()));
    }

    private static String ns(ObjectMeta m) {
        return m == null || m.getNamespace() == null ? "" : m.getNamespace();
    }

    private static String name(ObjectMeta m) {
        return m == null || m.getName() == null ? "" : m.getName();
    }

    private static Map<String, String> labels(ObjectMeta m) {
        Map<String, String> out = new HashMap<>();
        if (m != null && m.getLabels() != null) {
            m.getLabels().forEach((k, v) -> {
                if (k != null && v != null) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    private static <T> List<T> orEmpty(List<T> l) {
        if (l == null) {
            return List.of();
        }
        List<T> out = new ArrayList<>(l.size());
        l.forEach(x -> {
            if (x != null) {
                out.add(x);
            }
        });
        return out;
    }
}
