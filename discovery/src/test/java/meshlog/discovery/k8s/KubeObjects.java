package meshlog.discovery.k8s;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;

/** Kubernetes objects as a cluster's controllers would leave them (the mock server runs no controllers). */
final class KubeObjects {

    private KubeObjects() {
    }

    static Namespace namespace(String name, Map<String, String> labels) {
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

    static Node node(String name, String region, String zone, String subzone) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(Map.of(
                "topology.kubernetes.io/region", region, "topology.kubernetes.io/zone", zone,
                "topology.istio.io/subzone", subzone)).endMetadata().build();
    }

    static ServicePort port(String name, int port, String appProtocol, String targetPort) {
        ServicePortBuilder b = new ServicePortBuilder().withName(name).withPort(port).withProtocol("TCP")
                .withAppProtocol(appProtocol);
        if (targetPort != null) {
            b.withTargetPort(targetPort.chars().allMatch(Character::isDigit)
                    ? new IntOrString(Integer.parseInt(targetPort)) : new IntOrString(targetPort));
        }
        return b.build();
    }

    static Service service(String ns, String name, String clusterIp, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp).withClusterIPs(clusterIp)
                .withPorts(ports).withSelector(Map.of("app", name)).endSpec().build();
    }

    static Pod pod(String ns, String name, Map<String, String> labels, String serviceAccount, String node,
                   String portName, int containerPort) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount).withNodeName(node)
                .addNewContainer().withName("app").withImage("app:1").addNewPort().withName(portName)
                .withContainerPort(containerPort).endPort().endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build();
    }

    /** An endpoint of a pod, with explicit conditions. */
    static Endpoint endpoint(String ip, String pod, String node, boolean ready, boolean serving,
                             boolean terminating) {
        return new EndpointBuilder().withAddresses(ip).withNodeName(node)
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating)
                .endConditions().withNewTargetRef().withKind("Pod").withName(pod).endTargetRef().build();
    }

    /** A slice of {@code service}: one port, named as the service port, with the resolved target port. */
    static EndpointSlice slice(String ns, String name, String service, String portName, int port,
                               List<Endpoint> endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
                .withAddressType("IPv4")
                .withPorts(new EndpointPortBuilder().withName(portName).withPort(port).withProtocol("TCP").build())
                .withEndpoints(endpoints).build();
    }
}
