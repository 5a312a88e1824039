package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import meshlog.testkit.EnvoyBinary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every golden case of the reconciler, laid out for a sidecar whose traffic iptables captures (REDIRECT: VIP
 * listeners, {@code 0.0.0.0_P} listeners, passthrough filter chains, none bound but {@code virtualOutbound}), served
 * in turn to one real Envoy 1.40: its clusters and listeners must be ACKed, nothing NACKed or rejected. Envoy starts
 * on {@code single-service}, whose clusters need no DNS (a DNS cluster naming a host that does not resolve here
 * would hold Envoy's first listener request until c-ares gives up). The NONE layouts bind the cases' ports
 * (80, 443), which a test cannot; {@link EnvoySidecarDiscoveryTest} runs traffic through those.
 */
class EnvoyCapturedLayoutTest {

    static final Path GOLDEN = Path.of("../reconciler/src/test/resources/golden");

    @TempDir
    Path tmp;

    @Test
    void envoyAcceptsTheCapturedLayoutOfEveryGoldenCase() throws IOException {
        EnvoyBinary.require();
        List<Path> cases;
        try (Stream<Path> dirs = Files.list(GOLDEN)) {
            cases = dirs.filter(d -> Files.exists(d.resolve("input.yaml"))).sorted().toList();
        }
        assertThat(cases).extracting(p -> p.getFileName().toString())
                .contains("dns-resolution", "tcp-routes", "tls-routes", "workload-entries");
        try (EnvoySidecar sidecar = EnvoySidecar.startCaptured(tmp, Files.readString(GOLDEN.resolve(
                "single-service/input.yaml")))) {
            for (Path c : cases) {
                long t0 = System.nanoTime();
                sidecar.serveClustersAndListeners(Files.readString(c.resolve("input.yaml")));
                System.out.printf("%s ACKed in %d ms%n", c.getFileName(), (System.nanoTime() - t0) / 1_000_000);
                assertThat(sidecar.envoy().stat("listener_manager.lds.update_rejected")).as(c.toString()).isZero();
                assertThat(sidecar.envoy().stat("cluster_manager.cds.update_rejected")).as(c.toString()).isZero();
                assertThat(sidecar.nacks()).as(c.toString()).isZero();
                if (c.getFileName().toString().equals("tls-routes")) {
                    assertThat(sidecar.names("ListenersConfigDump", "dynamic_listeners", "/name"))
                            .contains("0.0.0.0_443", "0.0.0.0_8443", "10.96.1.1_443");
                    assertThat(sidecar.envoy().configDump().findValues("default_filter_chain").stream()
                            .map(n -> n.path("name").asText()).toList()).contains("PassthroughFilterChain");
                }
                if (c.getFileName().toString().equals("tcp-routes")) {
                    assertThat(sidecar.names("ListenersConfigDump", "dynamic_listeners", "/name"))
                            .contains("10.96.0.10_5432", "0.0.0.0_6379", "0.0.0.0_80");
                }
            }
            assertThat(sidecar.nacks()).isZero();
        }
    }
}
