package meshlog.gatewayapi.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.ServiceEntry.Location;
import meshlog.gatewayapi.model.ServiceEntry.Port;
import meshlog.gatewayapi.model.ServiceEntry.Resolution;
import meshlog.gatewayapi.model.ServiceEntry.WorkloadEndpoint;
import org.junit.jupiter.api.Test;

/** Every ServiceEntry field, read from valid documents with no errors, and the values it reads to. */
class ServiceEntryFieldsTest {

    static final String STATIC = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: api, namespace: shop}
            spec:
              hosts: [api.internal, api.shop.internal]
              addresses: [10.1.0.0/24, "2001:db8::1"]
              ports:
              - {number: 80, protocol: http, name: http, targetPort: 8080}
              - {number: 9090, protocol: GRPC, name: grpc}
              location: MESH_INTERNAL
              resolution: STATIC
              exportTo: ["~"]
              subjectAltNames: ["spiffe://cluster.local/ns/shop/sa/api"]
              endpoints:
              - address: 10.1.0.5
                ports: {http: 8081, grpc: 9091}
                labels: {version: v1}
                network: west
                locality: us-west/zone1/rack1
                weight: 3
                serviceAccount: api
              - address: "2001:db8::5"
            """;

    @Test
    void staticEntryWithEveryEndpointField() {
        CompiledConfig c = Compile.valid(STATIC);
        ServiceEntry se = Compile.only(c, ServiceEntry.class);
        assertThat(se.hosts()).containsExactly("api.internal", "api.shop.internal");
        assertThat(se.addresses()).containsExactly("10.1.0.0/24", "2001:db8::1");
        assertThat(se.ports()).containsExactly(new Port(80, "HTTP", "http", 8080), new Port(9090, "GRPC", "grpc", 0));
        assertThat(se.location()).isEqualTo(Location.MESH_INTERNAL);
        assertThat(se.resolution()).isEqualTo(Resolution.STATIC);
        assertThat(se.subjectAltNames()).containsExactly("spiffe://cluster.local/ns/shop/sa/api");
        WorkloadEndpoint ep = se.endpoints().get(0);
        assertThat(ep).isEqualTo(new WorkloadEndpoint("10.1.0.5", Map.of("http", 8081, "grpc", 9091),
                Map.of("version", "v1"), "west", "us-west/zone1/rack1", 3, "api"));
        assertThat(se.endpoints().get(1).weight()).isZero();
        assertThat(se.endpoints().get(1).serviceAccount()).isEmpty();
    }

    @Test
    void dnsEntryWithSelectorAndDefaults() {
        CompiledConfig c = Compile.valid("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ext}
                spec:
                  hosts: [api.example.com]
                  ports: [{number: 443, name: https, protocol: HTTPS}]
                  resolution: DNS
                  exportTo: ["*"]
                  workloadSelector:
                    labels: {app: egress}
                """);
        ServiceEntry se = Compile.only(c, ServiceEntry.class);
        assertThat(se.location()).isEqualTo(Location.MESH_EXTERNAL);
        assertThat(se.workloadSelector().labels()).containsExactly(Map.entry("app", "egress"));
        assertThat(se.endpoints()).isEmpty();
        assertThat(Compile.warningPaths(c, "SE0018")).containsExactly("spec.workloadSelector");
        assertThat(Compile.warningPaths(c, "ML0011")).isEmpty(); // exportTo is applied to sidecars
    }

    @Test
    void dynamicDnsWithWildcardHosts() {
        ServiceEntry se = Compile.only(Compile.valid("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: wildcard}
                spec:
                  hosts: ["*.example.com"]
                  ports: [{number: 443, name: tls, protocol: TLS}, {number: 80, name: http, protocol: HTTP}]
                  resolution: DYNAMIC_DNS
                """), ServiceEntry.class);
        assertThat(se.resolution()).isEqualTo(Resolution.DYNAMIC_DNS);
        assertThat(Compile.warningPaths(Compile.valid("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: wildcard}
                spec:
                  hosts: ["*.example.com"]
                  ports: [{number: 443, name: tls, protocol: TLS}]
                  location: MESH_EXTERNAL
                  resolution: DYNAMIC_DNS
                """), "ML0011")).containsExactly("spec.resolution");
    }

    @Test
    void anUnquotedIpv6AddressEndingInColonsReadsAsKubernetesReadsIt() {
        ServiceEntry se = Compile.only(Compile.valid("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: v6}
                spec:
                  hosts: [example.com]
                  addresses: [1.2.3.4, 2001:db8::]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                """), ServiceEntry.class);
        assertThat(se.addresses()).containsExactly("1.2.3.4", "2001:db8::");
    }

    @Test
    void whatTheReconcilerDoesNotApplyIsSaid() {
        CompiledConfig c = Compile.valid(STATIC);
        // Applied: the IP address (a VIP), the endpoints' network; not yet: the CIDR, what waits for mTLS.
        assertThat(Compile.warningPaths(c, "ML0011")).containsExactlyInAnyOrder("spec.addresses[0]",
                "spec.subjectAltNames");
    }
}
