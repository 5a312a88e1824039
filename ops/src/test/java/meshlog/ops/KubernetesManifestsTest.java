package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests of deploy/kubernetes, read as kustomize would build each overlay (no kustomize or
 * kube-apiserver runs here): every file an overlay names exists and parses as a typed Kubernetes object; every
 * container runs the project's image with a meshlog command and only flags that command takes; ports, probes and
 * Services agree; every ConfigMap referenced is in the overlay and every Secret is one docs/operations.md tells the
 * user to create.
 */
class KubernetesManifestsTest {

    static final Path ROOT = Path.of("../deploy/kubernetes");
    /** The Secrets the user creates, each named in docs/operations.md with its keys. */
    static final Set<String> USER_SECRETS = Set.of("meshlog-kafka", "meshlog-git", "meshlog-ca");
    static final Pattern VAR = Pattern.compile("\\$\\(([A-Z_]+)\\)");
    static final KubernetesSerialization KUBE = new KubernetesSerialization();

    @ParameterizedTest
    @ValueSource(strings = {"config-cluster", "workload-cluster"})
    void anOverlayBuildsIntoObjectsThatReferenceWhatExists(String overlay) throws IOException {
        List<HasMetadata> objects = build(ROOT.resolve(overlay));
        assertThat(objects).allSatisfy(o -> assertThat(o).as("%s/%s", o.getKind(), o.getMetadata().getName())
                .isNotInstanceOf(GenericKubernetesResource.class));
        Map<String, ConfigMap> configMaps = objects.stream().filter(ConfigMap.class::isInstance)
                .map(ConfigMap.class::cast).collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
        List<Deployment> deployments = objects.stream().filter(Deployment.class::isInstance)
                .map(Deployment.class::cast).toList();
        assertThat(deployments).isNotEmpty();
        String docs = Files.readString(Path.of("../docs/operations.md"));
        Set<String> secretsUsed = new HashSet<>();
        for (Deployment d : deployments) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String where = d.getMetadata().getName() + "/" + c.getName();
                assertThat(c.getImage()).as(where).isEqualTo("meshlog");
                checkArgs(where, c);
                checkPorts(where, c);
                for (EnvVar e : c.getEnv()) {
                    if (e.getValueFrom().getSecretKeyRef() != null) {
                        secretsUsed.add(e.getValueFrom().getSecretKeyRef().getName());
                    }
                    if (e.getValueFrom().getConfigMapKeyRef() != null) {
                        var ref = e.getValueFrom().getConfigMapKeyRef();
                        assertThat(configMaps).as(where).containsKey(ref.getName());
                        assertThat(configMaps.get(ref.getName()).getData()).as(where).containsKey(ref.getKey());
                    }
                }
            }
            Set<String> volumeNames = new HashSet<>();
            for (Volume v : d.getSpec().getTemplate().getSpec().getVolumes()) {
                volumeNames.add(v.getName());
                if (v.getSecret() != null) {
                    secretsUsed.add(v.getSecret().getSecretName());
                }
                if (v.getConfigMap() != null) {
                    assertThat(configMaps).containsKey(v.getConfigMap().getName());
                    v.getConfigMap().getItems().forEach(i -> assertThat(configMaps.get(v.getConfigMap().getName())
                            .getData()).containsKey(i.getKey()));
                }
            }
            d.getSpec().getTemplate().getSpec().getContainers().forEach(c -> c.getVolumeMounts()
                    .forEach(m -> assertThat(volumeNames).as(d.getMetadata().getName()).contains(m.getName())));
        }
        assertThat(USER_SECRETS).containsAll(secretsUsed);
        for (String s : secretsUsed) {
            assertThat(docs).as("docs/operations.md tells how to create Secret %s", s)
                    .contains("create secret generic " + s + " ");
        }
        for (Service s : objects.stream().filter(Service.class::isInstance).map(Service.class::cast).toList()) {
            Set<String> named = deployments.stream()
                    .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                            .containsAll(s.getSpec().getSelector().entrySet()))
                    .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                    .flatMap(c -> c.getPorts().stream()).map(ContainerPort::getName).collect(Collectors.toSet());
            assertThat(named).as("Service %s selects a Deployment", s.getMetadata().getName()).isNotEmpty();
            for (ServicePort p : s.getSpec().getPorts()) {
                assertThat(named).as("Service %s port %s", s.getMetadata().getName(), p.getName())
                        .contains(p.getTargetPort().getStrVal());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"workload-cluster"})
    void theCaSecretIsMountedForTheClusterTheOverlayNames(String overlay) throws IOException {
        List<HasMetadata> objects = build(ROOT.resolve(overlay));
        ConfigMap cluster = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().equals("meshlog-cluster")).findFirst().orElseThrow();
        String name = cluster.getData().get("name");
        for (String deployment : List.of("meshlog-distributor", "meshlog-injector")) {
            Deployment d = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                    .filter(o -> o.getMetadata().getName().equals(deployment)).findFirst().orElseThrow();
            List<String> paths = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("meshlog-ca"))
                    .flatMap(v -> v.getSecret().getItems().stream()).map(i -> i.getPath()).toList();
            assertThat(paths).as(deployment).containsExactly("root-cert.pem", "root-key.pem",
                    "clusters/" + name + "/ca-cert.pem", "clusters/" + name + "/ca-key.pem");
        }
        // Discovery writes the mesh root into every namespace and the webhook's caBundle: it gets the root, no key.
        Deployment discovery = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(o -> o.getMetadata().getName().equals("meshlog-discovery")).findFirst().orElseThrow();
        assertThat(discovery.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("meshlog-ca"))
                .flatMap(v -> v.getSecret().getItems().stream()).map(i -> i.getPath()).toList())
                .containsExactly("root-cert.pem");
        List<String> args = discovery.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        assertThat(args.get(args.indexOf("--root-cert") + 1)).isEqualTo("/etc/meshlog/ca/root-cert.pem");
        // The in-cluster kubeconfig discovery reads: the pod's token file and CA, no credential inline.
        io.fabric8.kubernetes.api.model.Config kubeconfig = KUBE.unmarshal(cluster.getData().get("kubeconfig"),
                io.fabric8.kubernetes.api.model.Config.class);
        assertThat(kubeconfig.getCurrentContext()).isEqualTo("this");
        assertThat(kubeconfig.getUsers().get(0).getUser().getTokenFile())
                .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/token");
        assertThat(kubeconfig.getUsers().get(0).getUser().getToken()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"base"})
    void theBaseNamesTheImageTheBuildWrites(String base) throws IOException {
        Map<String, Object> k = new Yaml().load(Files.readString(ROOT.resolve(base).resolve("kustomization.yaml")));
        @SuppressWarnings("unchecked")
        Map<String, Object> image = ((List<Map<String, Object>>) k.get("images")).get(0);
        String pom = Files.readString(Path.of("../image/pom.xml"));
        Matcher version = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertThat(version.find()).isTrue();
        assertThat(pom).contains("<image.name>meshlog:${project.version}</image.name>");
        assertThat(image).containsEntry("name", "meshlog").containsEntry("newName", "meshlog")
                .containsEntry("newTag", version.group(1));
    }

    /** Each argument a meshlog command takes, $(VAR)s defined in the container's env. */
    static void checkArgs(String where, Container c) {
        List<String> args = c.getArgs();
        String command = args.get(0);
        assertThat(command).as(where).isIn("git-sync", "reconciler", "distributor", "discovery", "injector");
        Set<String> env = c.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
        List<String> resolved = new ArrayList<>();
        for (String a : args.subList(1, args.size())) {
            Matcher m = VAR.matcher(a);
            while (m.find()) {
                assertThat(env).as("%s: %s", where, a).contains(m.group(1));
            }
            resolved.add(VAR.matcher(a).replaceAll("value"));
        }
        // Parsed as the command parses them: an unknown flag or a flag without its value fails here.
        Flags f = Flags.parse(resolved, ComponentCommand.flagsOf(command), ComponentCommand.booleansOf(command));
        assertThat(f.positional()).as(where).isEmpty();
    }

    /** --admin-port and --xds-port are the container's admin and xds ports; probes name ports it has. */
    static void checkPorts(String where, Container c) {
        Map<String, Integer> ports = c.getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
        List<String> args = c.getArgs();
        for (String flag : List.of("admin", "xds")) {
            int i = args.indexOf("--" + flag + "-port");
            if (i >= 0) {
                assertThat(ports).as(where).containsEntry(flag, Integer.parseInt(args.get(i + 1)));
            }
        }
        if (args.get(0).equals("injector")) {
            assertThat(ports).as(where).containsEntry("webhook", Integer.parseInt(args.get(args.indexOf("--port") + 1)));
        }
        assertThat(ports).as(where).containsKey("admin");
        for (Probe p : new Probe[] {c.getReadinessProbe(), c.getLivenessProbe()}) {
            assertThat(p).as(where + " probes").isNotNull();
            assertThat(ports).as(where).containsKey(p.getHttpGet().getPort().getStrVal());
        }
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    }

    /** The objects an overlay's kustomization.yaml names, recursively, each file's documents in order. */
    static List<HasMetadata> build(Path dir) throws IOException {
        Path file = dir.resolve("kustomization.yaml");
        assertThat(file).exists();
        Map<String, Object> k = new Yaml().load(Files.readString(file));
        assertThat(k).containsEntry("apiVersion", "kustomize.config.k8s.io/v1beta1")
                .containsEntry("kind", "Kustomization");
        List<HasMetadata> out = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) k.get("resources");
        for (String r : resources) {
            Path p = dir.resolve(r).normalize();
            assertThat(p).as("%s names %s", file, r).exists();
            if (Files.isDirectory(p)) {
                out.addAll(build(p));
                continue;
            }
            for (String doc : Files.readString(p).split("(?m)^---\\s*$")) {
                if (doc.strip().isEmpty()) {
                    continue;
                }
                Object o = KUBE.unmarshal(doc);
                assertThat(o).as("%s: a Kubernetes object", p).isInstanceOf(HasMetadata.class);
                out.add((HasMetadata) o);
            }
        }
        return out;
    }
}
