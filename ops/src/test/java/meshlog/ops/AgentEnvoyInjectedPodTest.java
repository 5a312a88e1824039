package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshlog.injector.InjectionSettings;
import meshlog.injector.Injector;
import meshlog.injector.Selection;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import meshlog.testkit.NetNs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An injected pod run by hand: the injector plans its sidecar for a pod in an injected namespace; a network
 * namespace stands for the pod. The init container's exact arguments ({@code meshlog iptables ...}) run inside it as
 * root; then the proxy container's exact arguments and environment ({@code meshlog agent --envoy ...}, the
 * downward-API variables resolved as the kubelet would, the volumes' mount paths mapped to directories) run inside as
 * uid 1337. The agent gets its certificate from {@code meshlog up}'s CA on the host side of the veth pair, starts
 * Envoy, and answers the kubelet's readiness probe on the pod IP's 15021; an app's plain connection to a service
 * VIP is captured by the rules and routed as the committed VirtualService says. The one difference from a cluster:
 * the {@code istio-token} file holds a join token, as no API server is here to review a service-account token.
 * Skipped, saying why, without root, namespaces, iptables or Envoy.
 */
class AgentEnvoyInjectedPodTest {

    static final String VIP = EnvoyRedirectCaptureTest.VIP;

    static NetNs ns;
    static Path dir;
    static HttpBackend web;
    static HttpBackend reviews;
    static MeshRepo repo;
    static MeshlogNode node;

    @BeforeAll
    static void start() throws Exception {
        EnvoyBinary.require();
        NetNs.require();
        dir = Files.createTempDirectory("meshlog-pod");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            ns = NetNs.create();
            InetAddress host = InetAddress.getByName(ns.hostIp());
            web = HttpBackend.start("web", host);
            reviews = HttpBackend.start("reviews", host);
            repo = new MeshRepo(dir.resolve("mesh"), 1, 2);
            repo.commit("web.yaml", EnvoyRedirectCaptureTest.config(ns.hostIp(), web.port(), reviews.port(), ""),
                    "web and reviews");
            node = MeshlogNode.start(new UpOptions(repo.dir(), null, List.of("east"), 1, 0, 0, dir.resolve("data"),
                    null, Duration.ofMillis(100), ns.hostIp(), null, meshlog.gitsync.TreeLimits.DEFAULTS));
        } catch (Exception e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        if (ns != null) {
            ns.close();
        }
        if (node != null) {
            node.close();
        }
        if (repo != null) {
            repo.close();
        }
        for (HttpBackend b : new HttpBackend[] {web, reviews}) {
            if (b != null) {
                b.close();
            }
        }
        if (dir != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.out.println("could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    static Pod pod() {
        return new PodBuilder().withNewMetadata().withName("client-1").withNamespace("demo")
                .withLabels(Map.of("app", "client")).endMetadata()
                .withNewSpec().withServiceAccountName("client").withNodeName("node-1").addNewContainer()
                .withName("app").withImage("python").endContainer().endSpec().build();
    }

    @Test
    void theInjectedContainersRunByHandCaptureAndRouteTheAppsTraffic() throws Exception {
        Pod pod = pod();
        int tls = node.replicas().get(0).server().tlsPort();
        var planned = (Injector.Planned) Injector.plan(pod.getMetadata(), pod.getSpec(), "demo",
                Selection.NamespacePolicy.ENABLED, new InjectionSettings("east", "meshlog-sidecar",
                        ns.hostIp() + ":" + tls, ns.hostIp() + ":" + node.caPort()));

        // istio-init: its arguments, as root inside the pod's network namespace.
        List<String> init = planned.sidecar().init().getArgs();
        assertThat(init.get(0)).isEqualTo("iptables");
        ns.inside(java(Main.class.getName(), System.getProperty("java.class.path"), init));

        // The volumes the proxy container mounts, as directories uid 1337 can use.
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (String volume : List.of("istio-envoy", "istio-token", "istiod-ca-cert")) {
            Path d = Files.createDirectories(dir.resolve("volumes").resolve(volume));
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
            mounts.put(volume, d);
        }
        Container proxy = planned.sidecar().proxy();
        Map<String, Path> byMountPath = new LinkedHashMap<>();
        proxy.getVolumeMounts().stream().filter(m -> mounts.containsKey(m.getName()))
                .forEach(m -> byMountPath.put(m.getMountPath(), mounts.get(m.getName())));
        Files.copy(dir.resolve("data/ca/root-cert.pem"), byMountPath.get("/var/run/secrets/istio")
                .resolve("root-cert.pem"));
        Path token = AgentEnvoyProcessTest.joinToken(dir.resolve("data"), "demo", "client");
        Files.copy(token, byMountPath.get("/var/run/secrets/tokens").resolve("istio-token"));
        for (Path d : mounts.values()) {
            try (var files = Files.list(d)) {
                for (Path f : files.toList()) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }

        List<String> args = new ArrayList<>();
        for (String a : proxy.getArgs()) {
            args.add(mapped(a, byMountPath));
        }
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=1337", "--regid=1337", "--clear-groups",
                "env"));
        Map<String, String> env = environment(proxy, pod);
        env.put("MESHLOG_ENVOY", EnvoyBinary.require().toString()); // the image's ENV
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(java(Main.class.getName(), readableClassPath(dir.resolve("classpath")), args));
        Process agent = ns.start(cmd, dir.resolve("istio-proxy.log"));

        // The kubelet's readiness probe: the pod IP's 15021, which istio-init leaves uncaptured.
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://" + ns.nsIp() + ":15021/healthz/ready");
        String[] last = {"no answer"};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            assertThat(agent.isAlive()).as("the agent runs; its log:\n%s", log()).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3))
                        .build(), HttpResponse.BodyHandlers.ofString());
                last[0] = r.statusCode() + " " + r.body();
                return r.statusCode() == 200;
            } catch (IOException e) {
                last[0] = e.toString(); // not listening yet
                return false;
            }
        });
        assertThat(last[0]).isEqualTo("200 ready\n");
        List<Long> envoys = agent.toHandle().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("envoy")).orElse(false))
                .map(ProcessHandle::pid).toList();
        assertThat(envoys).as("one Envoy, the agent's child").hasSize(1);
        assertThat(ProcessHandle.of(envoys.get(0)).flatMap(p -> p.info().user()).orElse("")).isIn("1337", "");

        // The app (root, so captured) calls a service VIP nothing listens on: Envoy's 15001 takes it.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> EnvoyRedirectCaptureTest.curlInside(ns, VIP, 80, "web", "/").startsWith("200 "));
        reviews.reset();
        assertThat(EnvoyRedirectCaptureTest.curlInside(ns, VIP, 80, "web.demo.svc.cluster.local", "/reviews/1"))
                .isEqualTo("200 reviews reviews");
        assertThat(EnvoyRedirectCaptureTest.curlInside(ns, VIP, 80, "web", "/")).isEqualTo("200 web web");
        assertThat(reviews.received()).singleElement()
                .satisfies(r -> assertThat(r.path()).isEqualTo("/reviews/1"));
        assertThat(Files.readString(mounts.get("istio-envoy").resolve(AgentEnvoy.BOOTSTRAP_FILE)))
                .contains("sidecar~" + ns.nsIp() + "~client-1.demo~demo.svc.cluster.local",
                        "\"INTERCEPTION_MODE\" : \"REDIRECT\"", "\"app\" : \"client\"");

        agent.destroy();
        assertThat(agent.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(envoys.get(0)).map(ProcessHandle::isAlive).orElse(false))
                .as("the pod's Envoy stopped with its agent").isFalse();
    }

    /** The proxy container's environment with each downward-API field resolved as the kubelet does for this pod. */
    static Map<String, String> environment(Container proxy, Pod pod) {
        Map<String, String> fields = Map.of("metadata.name", pod.getMetadata().getName(), "metadata.namespace",
                pod.getMetadata().getNamespace(), "status.podIP", ns.nsIp(), "status.hostIP", ns.hostIp(),
                "spec.serviceAccountName", pod.getSpec().getServiceAccountName(), "spec.nodeName",
                pod.getSpec().getNodeName());
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : proxy.getEnv()) {
            if (v.getValueFrom() != null) {
                String path = v.getValueFrom().getFieldRef().getFieldPath();
                assertThat(fields).as("a field this test resolves").containsKey(path);
                env.put(v.getName(), fields.get(path));
            } else {
                env.put(v.getName(), v.getValue());
            }
        }
        return env;
    }

    /** {@code arg} with a mount path's prefix replaced by the directory standing for its volume. */
    static String mapped(String arg, Map<String, Path> byMountPath) {
        for (Map.Entry<String, Path> m : byMountPath.entrySet()) {
            if (arg.startsWith(m.getKey() + "/")) {
                return m.getValue() + arg.substring(m.getKey().length());
            }
        }
        return arg;
    }

    static List<String> java(String main, String classPath, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath, main));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The test's class path as uid 1337 can read it: each jar hard-linked (or copied) into {@code into}, since the
     * local Maven repository may sit under a home directory closed to other users; class directories as they are.
     */
    static String readableClassPath(Path into) throws IOException {
        Files.createDirectories(into);
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.isRegularFile(p)) {
                out.add(entry);
                continue;
            }
            Path link = into.resolve((i++) + "-" + p.getFileName());
            try {
                Files.createLink(link, p);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(p, link);
            }
            out.add(link.toString());
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    static String log() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("istio-proxy.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
