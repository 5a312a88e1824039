package meshlog.reconciler.translate;

import static meshlog.reconciler.translate.Model.meta;
import static meshlog.reconciler.translate.Model.port;
import static meshlog.reconciler.translate.Model.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.ServiceEntry.Location;
import meshlog.gatewayapi.model.ServiceEntry.Port;
import meshlog.gatewayapi.model.ServiceEntry.Resolution;
import meshlog.gatewayapi.model.ServiceEntry.WorkloadEndpoint;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.EndpointSource;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WorkloadIr;
import org.junit.jupiter.api.Test;

class ServiceEntryTranslatorTest {

    final List<TranslationNote> notes = new ArrayList<>();

    @Test
    void everyHostTimesEveryPortWithEndpointPortsResolvedPerPort() {
        WorkloadEndpoint named = new WorkloadEndpoint("10.0.0.1", Map.of("grpc", 7001), Map.of("v", "1"), "",
                "us-east/a", 0);
        WorkloadEndpoint plain = new WorkloadEndpoint("10.0.0.2", Map.of(), Map.of(), "", "", 5);
        ServiceEntry se = new ServiceEntry(meta("demo", "echo"), List.of("b.example", "a.example", "b.example"),
                List.of(), List.of(new Port(50051, "GRPC", "grpc", 0), new Port(80, "HTTP", "http", 8080)),
                Location.MESH_EXTERNAL, Resolution.STATIC, List.of(named, plain));

        List<ServiceIr> services = ServiceEntryTranslator.translate(List.of(se), notes);

        assertThat(services).extracting(ServiceIr::name).containsExactly("a.example:80", "a.example:50051",
                "b.example:80", "b.example:50051");
        assertThat(services.get(0).workloads()).extracting(WorkloadIr::port).containsExactly(8080, 8080);
        assertThat(services.get(1).workloads()).extracting(WorkloadIr::port).containsExactly(7001, 50051);
        assertThat(services.get(1).workloads()).extracting(WorkloadIr::weight).containsExactly(1, 5);
        assertThat(services.get(1).workloads().get(0).locality()).isEqualTo(new LocalityIr("us-east", "a", ""));
        assertThat(services.get(1).origin()).isEqualTo("ServiceEntry demo/echo");
        assertThat(notes).isEmpty();
    }

    @Test
    void theFirstServiceEntryByNamespaceAndNameOwnsAHostPort() {
        ServiceEntry first = service("a", "x", "echo.example", List.of(port(50051, "grpc")),
                Model.endpoint("10.0.0.1", Map.of()));
        ServiceEntry second = service("b", "x", "echo.example", List.of(port(50051, "grpc"), port(9, "other")),
                Model.endpoint("10.0.0.2", Map.of()));

        List<ServiceIr> services = ServiceEntryTranslator.translate(List.of(first, second), notes);

        assertThat(services).extracting(ServiceIr::name).containsExactly("echo.example:9", "echo.example:50051");
        assertThat(services.get(1).workloads()).extracting(WorkloadIr::address).containsExactly("10.0.0.1");
        assertThat(notes).extracting(TranslationNote::toString).containsExactly("ServiceEntry b/x: "
                + "echo.example:50051 is already declared by ServiceEntry a/x (first by namespace/name wins); "
                + "ignored here");
    }

    @Test
    void dnsResolutionKeepsNamesForEnvoyAndStaticServesIpAddressesOnly() {
        ServiceEntry dns = new ServiceEntry(meta("demo", "dns"), List.of("dns.example"), List.of(),
                List.of(port(443, "grpc")), Location.MESH_EXTERNAL, Resolution.DNS,
                List.of(Model.endpoint("backend.dns.example", Map.of())));
        ServiceEntry named = service("demo", "static", "static.example", List.of(port(443, "grpc")),
                Model.endpoint("backend.example", Map.of()), Model.endpoint("::1", Map.of()));

        List<ServiceIr> services = ServiceEntryTranslator.translate(List.of(dns, named), notes);

        assertThat(services.get(0).source()).isEqualTo(EndpointSource.STRICT_DNS);
        assertThat(services.get(0).workloads()).extracting(WorkloadIr::address).containsExactly("backend.dns.example");
        assertThat(services.get(1).source()).isEqualTo(EndpointSource.EDS);
        assertThat(services.get(1).workloads()).extracting(WorkloadIr::address).containsExactly("::1");
        assertThat(notes).extracting(TranslationNote::message).containsExactly(
                "spec.endpoints[0].address \"backend.example\" is not an IP address; skipped for "
                        + "static.example:443");
    }

    @Test
    void dnsWithoutEndpointsResolvesTheHostAndNoneHasNoEndpoints() {
        ServiceEntry dns = new ServiceEntry(meta("demo", "dns"), List.of("api.example"), List.of(),
                List.of(port(443, "grpc")), Location.MESH_EXTERNAL, Resolution.DNS_ROUND_ROBIN, List.of());
        ServiceEntry none = new ServiceEntry(meta("demo", "none"), List.of("none.example"), List.of("10.9.0.1"),
                List.of(port(443, "grpc")), Location.MESH_EXTERNAL, Resolution.NONE, List.of());

        List<ServiceIr> services = ServiceEntryTranslator.translate(List.of(dns, none), notes);

        assertThat(services.get(0).source()).isEqualTo(EndpointSource.LOGICAL_DNS);
        assertThat(services.get(0).workloads()).extracting(w -> w.address() + ":" + w.port())
                .containsExactly("api.example:443");
        assertThat(services.get(1).source()).isEqualTo(EndpointSource.ORIGINAL_DST);
        assertThat(services.get(1).workloads()).isEmpty();
        assertThat(services.get(1).addresses()).containsExactly("10.9.0.1");
        assertThat(notes).isEmpty();
    }
}
