package meshlog.gatewayapi.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.model.ServiceEntry.WorkloadEndpoint;
import meshlog.gatewayapi.model.WorkloadEntry;
import org.junit.jupiter.api.Test;

/** Every WorkloadEntry field, read from valid documents with no errors, and the values it reads to. */
class WorkloadEntryFieldsTest {

    @Test
    void everyField() {
        CompiledConfig c = Compile.valid("""
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: vm-1, namespace: shop}
                spec:
                  address: vm-1.shop.example.com
                  ports: {http: 8080, grpc: 9090}
                  labels: {app: api, version: v1}
                  network: west
                  locality: us-west/zone1
                  weight: 10
                  serviceAccount: api
                """);
        WorkloadEntry we = Compile.only(c, WorkloadEntry.class);
        assertThat(we.spec()).isEqualTo(new WorkloadEndpoint("vm-1.shop.example.com",
                Map.of("http", 8080, "grpc", 9090), Map.of("app", "api", "version", "v1"), "west",
                "us-west/zone1", 10, "api"));
        assertThat(we.metadata().namespace()).isEqualTo("shop");
        // Applied through the ServiceEntries that select it; its identity waits for mTLS.
        assertThat(Compile.warningPaths(c, "ML0012")).isEmpty();
        assertThat(Compile.warningPaths(c, "ML0011")).isEmpty(); // serviceAccount: the identity mTLS checks
    }

    @Test
    void unixSocketsAndDefaults() {
        WorkloadEntry abstractSocket = Compile.only(Compile.valid("""
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: uds}
                spec:
                  address: unix://@api
                """), WorkloadEntry.class);
        assertThat(abstractSocket.spec().address()).isEqualTo("unix://@api");
        assertThat(abstractSocket.spec().ports()).isEmpty();
        assertThat(abstractSocket.spec().weight()).isZero();
        assertThat(abstractSocket.spec().network()).isEmpty();

        Compile.valid("""
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: uds}
                spec:
                  address: unix:///var/run/api.sock
                  labels: {app: api}
                """);
    }

    @Test
    void anIpv6Address() {
        WorkloadEntry we = Compile.only(Compile.valid("""
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: v6}
                spec:
                  address: "2001:db8::10"
                """), WorkloadEntry.class);
        assertThat(we.spec().address()).isEqualTo("2001:db8::10");
    }
}
