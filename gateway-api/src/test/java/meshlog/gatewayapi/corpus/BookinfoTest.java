package meshlog.gatewayapi.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Istio's Bookinfo samples, unchanged, are accepted. Each sample is applied the way its docs apply it: on top of
 * the platform (Services, Deployments), the gateway and the destination rules, one routing file at a time (the
 * routing files are alternatives that redefine the same objects); a sample with its own DestinationRules replaces
 * the shared ones, as {@code kubectl apply} would.
 */
public class BookinfoTest {

    private static final String DIR = "istio/bookinfo/";
    private static final String PLATFORM = "platform/bookinfo.yaml";

    public static Stream<String> networking() {
        return Stream.of("bookinfo-gateway", "certmanager-gateway", "destination-rule-all-mtls",
                "destination-rule-all", "destination-rule-reviews", "egress-rule-google-apis",
                "fault-injection-details-v1", "virtual-service-all-v1", "virtual-service-details-v2",
                "virtual-service-ratings-db", "virtual-service-ratings-mysql-vm", "virtual-service-ratings-mysql",
                "virtual-service-ratings-test-abort", "virtual-service-ratings-test-delay",
                "virtual-service-reviews-50-v3", "virtual-service-reviews-80-20", "virtual-service-reviews-90-10",
                "virtual-service-reviews-jason-v2-v3", "virtual-service-reviews-test-v2",
                "virtual-service-reviews-v2-v3", "virtual-service-reviews-v3").map(n -> "networking/" + n + ".yaml");
    }

    public static Stream<String> gatewayApi() {
        return Stream.of("bookinfo-gateway", "route-all-v1", "route-reviews-50-v3", "route-reviews-90-10",
                "route-reviews-v1", "route-reviews-v3").map(n -> "gateway-api/" + n + ".yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networking")
    void istioNetworkingSampleIsAccepted(String sample) throws IOException {
        boolean ownRules = IstioCorpusTest.read(DIR + sample).contains("kind: DestinationRule");
        List<String> base = ownRules
                ? List.of(PLATFORM, "networking/bookinfo-gateway.yaml")
                : List.of(PLATFORM, "networking/bookinfo-gateway.yaml", "networking/destination-rule-all.yaml");
        CompiledConfig c = compile(base, sample);

        assertThat(c.errors()).isEmpty();
        assertThat(c.resources()).anyMatch(r -> r.file().equals(sample));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gatewayApi")
    void gatewayApiSampleIsAccepted(String sample) throws IOException {
        CompiledConfig c = compile(List.of(PLATFORM, "gateway-api/bookinfo-gateway.yaml"), sample);

        assertThat(c.errors()).isEmpty();
        assertThat(c.resources()).anyMatch(r -> r.file().equals(sample));
    }

    private static CompiledConfig compile(List<String> base, String sample) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String f : base) {
            files.put(f, IstioCorpusTest.read(DIR + f).getBytes(StandardCharsets.UTF_8));
        }
        files.put(sample, IstioCorpusTest.read(DIR + sample).getBytes(StandardCharsets.UTF_8));
        return ConfigCompiler.compile(files);
    }
}
