package meshlog.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import meshlog.discovery.kube.ClusterView;
import meshlog.discovery.kube.KubeEndpointSlice;
import meshlog.discovery.kube.KubeEndpointSlice.SliceEndpoint;
import meshlog.discovery.kube.KubeEndpointSlice.SlicePort;
import meshlog.discovery.kube.KubeNamespace;
import meshlog.discovery.kube.KubeNode;
import meshlog.discovery.kube.KubePod;
import meshlog.discovery.kube.KubeService;
import meshlog.discovery.kube.KubeServicePort;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.endpoints.ServiceEndpoint;
import org.junit.jupiter.api.Test;

/** The pure core over plain records: what a cluster's objects become. */
class ServiceDiscoveryTest {

    private static final KubeServicePort HTTP = new KubeServicePort("http", 80, "TCP", null, "web");

    private static KubeService svc(String name, String type, List<String> ips, KubeServicePort... ports) {
        return new KubeService("ns", name, type, ips, type.equals("ExternalName") ? "db.example.com" : "",
                List.of(ports), Map.of());
    }

    private static KubePod pod(String name, Map<String, String> labels, String node, String phase) {
        return new KubePod("ns", name, labels, "sa-" + name, node, Map.of("web", 8081), phase);
    }

    private static SliceEndpoint ep(String ip, String pod, Boolean ready, Boolean serving, Boolean terminating) {
        return new SliceEndpoint(List.of(ip), ready, serving, terminating, "", "zone-from-slice", pod);
    }

    private static KubeEndpointSlice slice(String name, String type, List<SlicePort> ports, SliceEndpoint... eps) {
        return new KubeEndpointSlice("ns", name, "web", type, ports, List.of(eps));
    }

    private static ClusterView view(List<KubeService> services, List<KubeEndpointSlice> slices, List<KubePod> pods) {
        return new ClusterView("c", services, slices, pods,
                List.of(new KubeNode("n1", Map.of("topology.kubernetes.io/region", "r1",
                        "topology.kubernetes.io/zone", "z1", "topology.istio.io/subzone", "s1"))),
                List.of(new KubeNamespace("ns", Map.of())));
    }

    private static DiscoveredService only(Discovered d) {
        assertThat(d.services()).hasSize(1);
        return d.services().values().iterator().next();
    }

    @Test
    void aNamedTargetPortResolvesThroughThePodWhenTheSliceDoesNotNameIt() {
        Discovered d = ServiceDiscovery.discover(view(List.of(svc("web", "ClusterIP", List.of("10.0.0.1"), HTTP)),
                List.of(slice("s1", "IPv4", List.of(), ep("10.1.0.1", "p1", true, null, null),
                        ep("10.1.0.2", "", true, null, null))),
                List.of(pod("p1", Map.of("app", "web"), "n1", "Running"))), DiscoveryLimits.DEFAULTS);
        ServiceEndpoint e = only(d).endpoints().get(0);
        assertThat(only(d).endpoints()).hasSize(1);
        assertThat(e.ports()).isEqualTo(Map.of("http", 8081));
        assertThat(e.locality().toString()).isEqualTo("Locality[region=r1, zone=z1, subzone=s1]");
        // Without a pod, a port name cannot be resolved: the endpoint is left out, and said so.
        assertThat(d.notes()).containsExactly("ns/web: endpoint 10.1.0.2 has no port of the service; left out");
    }

    @Test
    void anAddressInTwoSlicesIsOneEndpointTheReadyOneAndFqdnSlicesAreSkipped() {
        SlicePort port = new SlicePort("http", 8081, "TCP");
        Discovered d = ServiceDiscovery.discover(view(List.of(svc("web", "ClusterIP", List.of("10.0.0.1"), HTTP)),
                List.of(slice("a", "IPv4", List.of(port), ep("10.1.0.1", "", false, false, true)),
                        slice("b", "IPv4", List.of(port), ep("10.1.0.1", "", true, null, null)),
                        slice("c", "FQDN", List.of(port), ep("web.example.com", "", true, null, null))),
                List.of()), DiscoveryLimits.DEFAULTS);
        assertThat(only(d).endpoints()).hasSize(1);
        assertThat(only(d).endpoints().get(0).health().toString())
                .isEqualTo("Health[ready=true, serving=true, terminating=false, status=HEALTHY]");
        // No node known: the slice's zone is all the locality there is.
        assertThat(only(d).endpoints().get(0).locality().zone()).isEqualTo("zone-from-slice");
    }

    @Test
    void conditionsAsIstioReadsThem() {
        assertThat(meshlog.configstore.endpoints.Health.of(null, null, null).status().name()).isEqualTo("HEALTHY");
        assertThat(meshlog.configstore.endpoints.Health.of(false, true, true).status().name()).isEqualTo("DRAINING");
        assertThat(meshlog.configstore.endpoints.Health.of(false, false, true).status().name()).isEqualTo("UNHEALTHY");
        assertThat(meshlog.configstore.endpoints.Health.of(false, null, null).toString())
                .isEqualTo("Health[ready=false, serving=false, terminating=false, status=UNHEALTHY]");
    }

    @Test
    void headlessAndExternalNameServicesHaveNoVipAndAnSctpPortIsLeftOut() {
        Discovered d = ServiceDiscovery.discover(view(List.of(
                svc("db", "ExternalName", List.of(), HTTP),
                svc("web", "ClusterIP", List.of("None"), HTTP, new KubeServicePort("sig", 9, "SCTP", null, ""))),
                List.of(), List.of()), DiscoveryLimits.DEFAULTS);
        DiscoveredService db = d.services().get("c/ns/db");
        DiscoveredService web = d.services().get("c/ns/web");
        assertThat(List.of(db.kind(), db.externalName(), db.vips().toString())).containsExactly("ExternalName",
                "db.example.com", "[]");
        assertThat(List.of(web.kind(), web.vips().toString(), String.valueOf(web.ports().size())))
                .containsExactly("Headless", "[]", "1");
        assertThat(d.notes()).containsExactly("ns/web: port 9 is SCTP, which the proxies do not carry; left out");
    }

    @Test
    void anEndpointWhosePodIsNotSeenYetWaitsForItInsteadOfBeingServedWithoutLabels() {
        KubeService web = svc("web", "ClusterIP", List.of("10.0.0.1"), HTTP);
        KubeEndpointSlice s = slice("s", "IPv4", List.of(new SlicePort("http", 8081, "TCP")),
                ep("10.1.0.1", "p1", true, null, null), ep("10.1.0.2", "p2", true, null, null));
        KubePod p1 = pod("p1", Map.of("version", "v1"), "n1", "Running");
        Discovered before = ServiceDiscovery.discover(view(List.of(web), List.of(s), List.of(p1)),
                DiscoveryLimits.DEFAULTS);
        assertThat(only(before).endpoints()).extracting(ServiceEndpoint::address).containsExactly("10.1.0.1");
        assertThat(before.notes()).containsExactly("ns/web: endpoint 10.1.0.2 waits for its pod p2, not seen yet");

        Discovered after = ServiceDiscovery.discover(view(List.of(web), List.of(s),
                List.of(p1, pod("p2", Map.of("version", "v2"), "n1", "Running"))), DiscoveryLimits.DEFAULTS);
        assertThat(only(after).endpoints()).extracting(e -> e.address() + " " + e.labels() + " " + e.serviceAccount())
                .containsExactly("10.1.0.1 {version=v1} sa-p1", "10.1.0.2 {version=v2} sa-p2");
        assertThat(after.notes()).isEmpty();
    }

    @Test
    void istioLocalityOnThePodOverridesTheNode() {
        Discovered d = ServiceDiscovery.discover(view(List.of(svc("web", "ClusterIP", List.of("10.0.0.1"), HTTP)),
                List.of(slice("s", "IPv4", List.of(new SlicePort("http", 8081, "TCP")),
                        ep("10.1.0.1", "p1", true, null, null))),
                List.of(pod("p1", Map.of("istio-locality", "us.us-1a.rack1"), "n1", "Running"))),
                DiscoveryLimits.DEFAULTS);
        assertThat(only(d).endpoints().get(0).locality().toString())
                .isEqualTo("Locality[region=us, zone=us-1a, subzone=rack1]");
    }

    @Test
    void endpointsPastTheLimitAreCountedAndFinishedPodsAreNoWorkloads() {
        List<SliceEndpoint> eps = new ArrayList<>();
        List<KubePod> pods = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            eps.add(ep("10.1.0." + i, "p" + i, true, null, null));
            pods.add(pod("p" + i, Map.of("app", "web"), "n1", i == 3 ? "Succeeded" : "Running"));
        }
        DiscoveryLimits two = new DiscoveryLimits(10, 2, 10, 10, 10);
        Discovered d = ServiceDiscovery.discover(view(List.of(svc("web", "ClusterIP", List.of("10.0.0.1"), HTTP)),
                List.of(new KubeEndpointSlice("ns", "s", "web", "IPv4", List.of(new SlicePort("http", 8081, "TCP")),
                        eps)), pods), two);
        assertThat(only(d).endpoints()).extracting(ServiceEndpoint::address).containsExactly("10.1.0.1", "10.1.0.2");
        assertThat(only(d).endpointsLeftOut()).isEqualTo(1);
        assertThat(d.notes()).containsExactly("ns/web: 1 endpoints left out (limit 2)");
        // p1 and p2 share their labels but not their service account: two workloads; p3 has finished.
        assertThat(d.workloads().get("c/ns/_workloads").workloads()).extracting(w -> w.serviceAccount() + ":" + w.pods())
                .containsExactly("sa-p1:1", "sa-p2:1");
    }

    @Test
    void theSameObjectsInAnyOrderGiveTheSameBytes() {
        List<KubeService> services = new ArrayList<>();
        List<KubeEndpointSlice> slices = new ArrayList<>();
        List<KubePod> pods = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            services.add(new KubeService("ns", "s" + i, "ClusterIP", List.of("10.0.0." + i), "", List.of(HTTP),
                    Map.of()));
            slices.add(new KubeEndpointSlice("ns", "s" + i + "-x", "s" + i, "IPv4", List.of(),
                    List.of(ep("10.1.0." + i, "p" + i, true, null, null))));
            pods.add(pod("p" + i, Map.of("app", "s" + i, "v", "1"), "n1", "Running"));
        }
        byte[] first = flatten(ServiceDiscovery.discover(view(services, slices, pods), DiscoveryLimits.DEFAULTS));
        Random random = new Random(7);
        Collections.shuffle(services, random);
        Collections.shuffle(slices, random);
        Collections.shuffle(pods, random);
        assertThat(flatten(ServiceDiscovery.discover(view(services, slices, pods), DiscoveryLimits.DEFAULTS)))
                .isEqualTo(first);
    }

    private static byte[] flatten(Discovered d) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        d.encode().forEach((k, v) -> {
            out.writeBytes(k.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.writeBytes(v);
        });
        return out.toByteArray();
    }
}
