package meshlog.injector;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two containers and four volumes of an injected pod, from its metadata, the cluster's settings and the
 * pod's annotations. The proxy runs {@code meshlog agent --envoy} as uid 1337, which fetches its certificate with
 * the projected service-account token (audience {@code istio-ca}), checks the CA and the distributor against the
 * mesh root, and starts Envoy with a bootstrap naming the distributor; the pod's facts reach the node metadata
 * through the downward API. Flag names are {@code meshlog agent}'s.
 */
final class SidecarTemplate {

    static final String INIT_CONTAINER = "istio-init";
    static final String TOKEN_AUDIENCE = "istio-ca";
    static final String TOKEN_DIR = "/var/run/secrets/tokens";
    static final String TOKEN_FILE = "istio-token";
    /** The mesh root, from the ConfigMap istiod writes in every namespace (meshlog: the user, for now). */
    static final String ROOT_CONFIG_MAP = "istio-ca-root-cert";
    static final String ROOT_DIR = "/var/run/secrets/istio";
    static final List<String> VOLUMES = List.of("istio-envoy", "istio-data", "istio-podinfo", "istio-token",
            "istiod-ca-cert");
    private static final ObjectMapper JSON = KubeJson.JSON;

    private SidecarTemplate() {
    }

    static Sidecar build(ObjectMeta meta, PodSpec spec, InjectionSettings s) {
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        TrafficCapture capture = TrafficCapture.fromAnnotations(annotations);
        ResourceRequirements resources = ProxyResources.of(annotations);
        checkNamesAreFree(spec);
        Map<String, String> added = new LinkedHashMap<>();
        added.put(Selection.STATUS, status());
        List<String> apps = spec.getContainers() == null ? List.of()
                : spec.getContainers().stream().map(Container::getName).toList();
        if (!apps.isEmpty() && !annotations.containsKey("kubectl.kubernetes.io/default-container")) {
            // kubectl logs and exec then pick the app, not the sidecar appended after it.
            added.put("kubectl.kubernetes.io/default-container", apps.get(0));
        }
        return new Sidecar(init(s, capture, resources), proxy(meta, s, apps, resources), volumes(), added,
                Map.of("security.istio.io/tlsMode", "istio"), notHonoured(annotations));
    }

    /** The annotations injection reads; any other sidecar.istio.io/ or traffic.sidecar.istio.io/ one is Istio's. */
    static final java.util.Set<String> HONOURED = java.util.Set.of(Selection.INJECT, Selection.STATUS,
            "sidecar.istio.io/proxyCPU", "sidecar.istio.io/proxyMemory", "sidecar.istio.io/proxyCPULimit",
            "sidecar.istio.io/proxyMemoryLimit", "traffic.sidecar.istio.io/includeOutboundIPRanges",
            "traffic.sidecar.istio.io/excludeOutboundIPRanges", "traffic.sidecar.istio.io/excludeOutboundPorts",
            "traffic.sidecar.istio.io/includeInboundPorts", "traffic.sidecar.istio.io/excludeInboundPorts");
    /** Kubernetes shows a few warnings, not a page of them. */
    static final int MAX_WARNINGS = 10;

    /**
     * Istio's annotations (sidecar.istio.io/, traffic.sidecar.istio.io/, proxy.istio.io/) meshlog does not apply,
     * sorted: the pod is injected anyway, and the user is told rather than left to find the difference.
     */
    static List<String> notHonoured(Map<String, String> annotations) {
        return annotations.keySet().stream()
                .filter(k -> k.startsWith("sidecar.istio.io/") || k.startsWith("traffic.sidecar.istio.io/")
                        || k.startsWith("proxy.istio.io/"))
                .filter(k -> !HONOURED.contains(k)).sorted().limit(MAX_WARNINGS)
                .map(k -> "meshlog sidecar injection does not honour annotation "
                        + meshlog.configstore.LogSafe.value(k, 100) + "; the sidecar is injected without it")
                .toList();
    }

    private static Container init(InjectionSettings s, TrafficCapture capture, ResourceRequirements resources) {
        List<String> args = new ArrayList<>(List.of("iptables"));
        args.addAll(capture.flags());
        return new ContainerBuilder().withName(INIT_CONTAINER).withImage(s.image()).withArgs(args)
                .withResources(resources)
                .withNewSecurityContext().withRunAsUser(0L).withRunAsGroup(0L).withRunAsNonRoot(false)
                // Writable root: iptables takes its lock in /run.
                .withPrivileged(false).withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(false)
                .withNewCapabilities().withAdd("NET_ADMIN", "NET_RAW").withDrop("ALL").endCapabilities()
                .endSecurityContext().build();
    }

    private static Container proxy(ObjectMeta meta, InjectionSettings s, List<String> apps,
                                   ResourceRequirements resources) {
        return new ContainerBuilder().withName(Selection.PROXY_CONTAINER).withImage(s.image())
                .withArgs("agent", "--envoy", "--cluster", s.cluster(), "--xds", s.xdsAddress(), "--ca", s.caAddress(),
                        "--root-cert", ROOT_DIR + "/root-cert.pem", "--token-file", TOKEN_DIR + "/" + TOKEN_FILE,
                        "--socket", "/etc/istio/proxy/meshlog-agent.sock")
                .withEnv(env(meta, s, apps))
                .addNewPort().withName("http-envoy-prom").withContainerPort(MeshPorts.PROMETHEUS)
                .withProtocol("TCP").endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/healthz/ready")
                .withNewPort(MeshPorts.HEALTH).endHttpGet()
                .withInitialDelaySeconds(1).withPeriodSeconds(2).withTimeoutSeconds(3).withFailureThreshold(30)
                .endReadinessProbe()
                .withResources(resources)
                .withNewSecurityContext().withRunAsUser(MeshPorts.PROXY_UID).withRunAsGroup(MeshPorts.PROXY_UID)
                .withRunAsNonRoot(true).withPrivileged(false).withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true).withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("istio-envoy").withMountPath("/etc/istio/proxy").endVolumeMount()
                .addNewVolumeMount().withName("istio-data").withMountPath("/var/lib/istio/data").endVolumeMount()
                .addNewVolumeMount().withName("istio-podinfo").withMountPath("/etc/istio/pod").endVolumeMount()
                .addNewVolumeMount().withName("istio-token").withMountPath(TOKEN_DIR).endVolumeMount()
                .addNewVolumeMount().withName("istiod-ca-cert").withMountPath(ROOT_DIR).withReadOnly(true)
                .endVolumeMount()
                .build();
    }

    /** Istio's names: the agent reads the same variables Istio's pilot-agent does. */
    private static List<EnvVar> env(ObjectMeta meta, InjectionSettings s, List<String> apps) {
        List<EnvVar> env = new ArrayList<>();
        env.add(field("POD_NAME", "metadata.name"));
        env.add(field("POD_NAMESPACE", "metadata.namespace"));
        env.add(field("INSTANCE_IP", "status.podIP"));
        env.add(field("SERVICE_ACCOUNT", "spec.serviceAccountName"));
        env.add(field("HOST_IP", "status.hostIP"));
        env.add(field("ISTIO_META_NODE_NAME", "spec.nodeName"));
        env.add(value("ISTIO_META_CLUSTER_ID", s.cluster()));
        env.add(value("ISTIO_META_INTERCEPTION_MODE", "REDIRECT"));
        env.add(value("ISTIO_META_APP_CONTAINERS", String.join(",", apps)));
        // The labels as the pod had them when admitted; the live ones are in /etc/istio/pod/labels.
        env.add(value("ISTIO_METAJSON_LABELS", json(new TreeMap<>(meta.getLabels() == null ? Map.of()
                : meta.getLabels()))));
        return env;
    }

    private static List<Volume> volumes() {
        return List.of(
                new VolumeBuilder().withName("istio-envoy").withNewEmptyDir().withMedium("Memory").endEmptyDir()
                        .build(),
                new VolumeBuilder().withName("istio-data").withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName("istio-podinfo").withNewDownwardAPI()
                        .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels")
                        .endFieldRef().endItem()
                        .addNewItem().withPath("annotations").withNewFieldRef()
                        .withFieldPath("metadata.annotations").endFieldRef().endItem()
                        .endDownwardAPI().build(),
                new VolumeBuilder().withName("istio-token").withNewProjected().addNewSource()
                        .withNewServiceAccountToken().withAudience(TOKEN_AUDIENCE).withExpirationSeconds(43200L)
                        .withPath(TOKEN_FILE).endServiceAccountToken().endSource().endProjected().build(),
                new VolumeBuilder().withName("istiod-ca-cert").withNewConfigMap().withName(ROOT_CONFIG_MAP)
                        .endConfigMap().build());
    }

    /** The names injection adds must be free: replacing a user's volume or init container would be a surprise. */
    private static void checkNamesAreFree(PodSpec spec) {
        if (spec.getInitContainers() != null && spec.getInitContainers().stream()
                .anyMatch(c -> INIT_CONTAINER.equals(c.getName()))) {
            throw new InjectionException("spec.initContainers: the pod already has an init container named "
                    + INIT_CONTAINER + " (the name injection adds)");
        }
        if (spec.getVolumes() != null) {
            for (Volume v : spec.getVolumes()) {
                if (VOLUMES.contains(v.getName())) {
                    throw new InjectionException("spec.volumes: the pod already has a volume named " + v.getName()
                            + " (a name injection adds: " + String.join(", ", VOLUMES) + ")");
                }
            }
        }
    }

    /** Istio's status annotation: what was injected, so a second pass (and istioctl) sees it. */
    private static String status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("initContainers", List.of(INIT_CONTAINER));
        status.put("containers", List.of(Selection.PROXY_CONTAINER));
        status.put("volumes", VOLUMES);
        status.put("imagePullSecrets", null);
        status.put("revision", "default");
        return json(status);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EnvVar field(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }

    private static EnvVar value(String name, String v) {
        return new EnvVarBuilder().withName(name).withValue(v).build();
    }
}
