package meshlog.reconciler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.endpoints.Health;
import meshlog.configstore.endpoints.Locality;
import meshlog.configstore.endpoints.ServiceEndpoint;
import meshlog.configstore.endpoints.ServicePort;
import meshlog.gatewayapi.validate.ListenerChecks.Protocol;
import meshlog.reconciler.TestConfigs;
import meshlog.reconciler.ir.EndpointSource;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WorkloadIr;
import org.junit.jupiter.api.Test;

class KubeServiceTranslatorTest {

    static final Health HEALTHY = Health.of(true, true, false);
    static final Health DRAINING = Health.of(false, true, true);
    static final Health UNHEALTHY = Health.of(false, false, false);

    final List<TranslationNote> notes = new ArrayList<>();

    static ServiceEndpoint ep(String ip, int port, String version, Health health, String network) {
        return new ServiceEndpoint(ip, Map.of("http", port), Map.of("app", "reviews", "version", version),
                new Locality("eu", "eu-1", ""), health, "bookinfo-reviews", "reviews-" + ip, "n1", network);
    }

    static DiscoveredService reviews(String cluster, String vip, String kind, List<ServicePort> ports,
                                     ServiceEndpoint... eps) {
        return new DiscoveredService(1, cluster, "default", "reviews", "reviews.default.svc.cluster.local", kind,
                kind.equals("ExternalName") ? "reviews.example.com" : "", vip.isEmpty() ? List.of() : List.of(vip),
                ports, List.of(eps), 0);
    }

    static final List<ServicePort> HTTP = List.of(new ServicePort("http", 9080, Protocol.HTTP, "9080"));

    @Test
    void onlyHealthyEndpointsAreServedWithTheirLabelsLocalityAndPort() {
        List<ServiceIr> out = KubeServiceTranslator.translate(List.of(reviews("east", "10.96.0.12", "ClusterIP",
                HTTP, ep("10.1.0.1", 9080, "v1", HEALTHY, ""), ep("10.1.0.2", 9081, "v2", DRAINING, ""),
                ep("10.1.0.3", 9080, "v3", UNHEALTHY, ""))), "east", "", notes);

        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("reviews.default.svc.cluster.local:9080");
            assertThat(s.protocol()).isEqualTo("HTTP");
            assertThat(s.origin()).isEqualTo("Service default/reviews");
            assertThat(s.addresses()).containsExactly("10.96.0.12");
            assertThat(s.source()).isEqualTo(EndpointSource.EDS);
            // The pod's service account is its identity, which mTLS clients check.
            assertThat(s.workloads()).containsExactly(new WorkloadIr("10.1.0.1", 9080,
                    Map.of("app", "reviews", "version", "v1"), new LocalityIr("eu", "eu-1", ""), 1,
                    "spiffe://cluster.local/ns/default/sa/bookinfo-reviews"));
        });
        assertThat(notes).isEmpty();
    }

    @Test
    void aHostInSeveralClustersIsOneServiceWithEveryClustersEndpointsAndTheServedClustersVip() {
        List<DiscoveredService> records = List.of(
                reviews("west", "10.200.0.12", "ClusterIP", HTTP, ep("10.2.0.1", 9080, "v2", HEALTHY, "")),
                reviews("east", "10.96.0.12", "ClusterIP", HTTP, ep("10.1.0.1", 9080, "v1", HEALTHY, ""),
                        ep("10.2.0.1", 9080, "v2", HEALTHY, "")));

        ServiceIr east = KubeServiceTranslator.translate(records, "east", "", notes).get(0);
        ServiceIr west = KubeServiceTranslator.translate(records, "west", "", notes).get(0);
        ServiceIr elsewhere = KubeServiceTranslator.translate(records, "north", "", notes).get(0);

        assertThat(east.addresses()).containsExactly("10.96.0.12");
        assertThat(west.addresses()).containsExactly("10.200.0.12");
        assertThat(elsewhere.addresses()).as("first cluster by name").containsExactly("10.96.0.12");
        // 10.2.0.1 in both clusters (overlapping pod ranges) is one endpoint.
        assertThat(east.workloads()).extracting(WorkloadIr::address).containsExactly("10.1.0.1", "10.2.0.1");
        assertThat(west.workloads()).isEqualTo(east.workloads());
    }

    @Test
    void aUdpPortIsNotServedAndItsTcpTwinIs() {
        // kube-dns in every cluster: 53/UDP and 53/TCP. Two services of one port would name one cluster twice.
        List<ServicePort> dns = List.of(new ServicePort("dns", 53, Protocol.UDP, "53"),
                new ServicePort("dns-tcp", 53, Protocol.TCP, "53"));
        List<ServiceIr> out = KubeServiceTranslator.translate(List.of(reviews("east", "10.96.0.10", "ClusterIP",
                dns, ep("10.1.0.1", 53, "v1", HEALTHY, ""))), "east", "", notes);

        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.port()).isEqualTo(53);
            assertThat(s.protocol()).isEqualTo("TCP");
        });
    }

    @Test
    void endpointsOnAnotherNetworkAreLeftOutAndNoted() {
        List<ServiceIr> out = KubeServiceTranslator.translate(List.of(reviews("east", "10.96.0.12", "ClusterIP",
                HTTP, ep("10.1.0.1", 9080, "v1", HEALTHY, "net-1"), ep("10.9.0.1", 9080, "v1", HEALTHY, "net-2"),
                ep("10.1.0.2", 9080, "v1", HEALTHY, ""))), "east", "net-1", notes);

        assertThat(out.get(0).workloads()).extracting(WorkloadIr::address).containsExactly("10.1.0.1", "10.1.0.2");
        assertThat(notes).extracting(TranslationNote::toString).containsExactly("Service default/reviews: 1 "
                + "endpoint(s) of port 9080 are on another network than this cluster's (net-1) and no gateway to it"
                + " is served; left out");
    }

    @Test
    void externalNameIsResolvedByEnvoyAndHeadlessGoesToTheOriginalDestination() {
        List<ServicePort> ports = List.of(new ServicePort("http", 9080, Protocol.HTTP, ""),
                new ServicePort("tcp-db", 5432, Protocol.TCP, ""), new ServicePort("web", 80, Protocol.UNSUPPORTED, ""));
        ServiceIr external = KubeServiceTranslator.translate(List.of(reviews("east", "", "ExternalName", ports)),
                "east", "", notes).get(0);
        List<ServiceIr> headless = KubeServiceTranslator.translate(List.of(reviews("east", "", "Headless", ports,
                ep("10.1.0.1", 9080, "v1", HEALTHY, ""))), "east", "", notes);

        assertThat(external.source()).isEqualTo(EndpointSource.STRICT_DNS);
        assertThat(external.workloads()).extracting(WorkloadIr::address, WorkloadIr::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("reviews.example.com", 80));
        assertThat(headless).extracting(ServiceIr::port, ServiceIr::protocol, ServiceIr::source).containsExactly(
                org.assertj.core.groups.Tuple.tuple(80, "", EndpointSource.ORIGINAL_DST),
                org.assertj.core.groups.Tuple.tuple(5432, "TCP", EndpointSource.ORIGINAL_DST),
                org.assertj.core.groups.Tuple.tuple(9080, "HTTP", EndpointSource.ORIGINAL_DST));
        assertThat(headless.get(0).workloads()).isEmpty();
    }

    @Test
    void aServiceEntryForAKubernetesHostIsIgnoredWithANote() {
        var state = TestConfigs.state("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints: [{address: 10.5.0.1}]
                """);
        MeshTranslator.ClusterModel model = MeshTranslator.model(state.resources().values(),
                List.of(reviews("east", "10.96.0.12", "ClusterIP", HTTP, ep("10.1.0.1", 9080, "v1", HEALTHY, ""))),
                "east");

        assertThat(model.services()).singleElement().satisfies(s -> {
            assertThat(s.origin()).isEqualTo("Service default/reviews");
            assertThat(s.workloads()).extracting(WorkloadIr::address).containsExactly("10.1.0.1");
        });
        assertThat(model.notes()).extracting(TranslationNote::toString).containsExactly("ServiceEntry "
                + "default/reviews: reviews.default.svc.cluster.local:9080: reviews.default.svc.cluster.local is "
                + "Kubernetes Service default/reviews's host; this ServiceEntry's port is ignored");
    }
}
