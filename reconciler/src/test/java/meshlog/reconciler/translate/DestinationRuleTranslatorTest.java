package meshlog.reconciler.translate;

import static meshlog.reconciler.translate.Model.port;
import static meshlog.reconciler.translate.Model.rule;
import static meshlog.reconciler.translate.Model.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.DestinationRule.Subset;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.EndpointIr;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;
import org.junit.jupiter.api.Test;

class DestinationRuleTranslatorTest {

    static final String ECHO = "echo.demo.svc.cluster.local";

    final List<TranslationNote> notes = new ArrayList<>();
    final List<ServiceIr> services = ServiceEntryTranslator.translate(List.of(service("demo", "echo", ECHO,
            List.of(port(50051, "grpc")),
            Model.endpoint("10.0.0.1", Map.of("version", "v1", "track", "stable")),
            Model.endpoint("10.0.0.2", Map.of("version", "v2")))), notes);

    static List<String> addresses(BackendIr b) {
        return b.localities().stream().flatMap(l -> l.endpoints().stream()).map(EndpointIr::address).toList();
    }

    @Test
    void oneBackendPerServicePlusOnePerSubsetSelectingByAllLabels() {
        DestinationRule dr = new DestinationRule(Model.meta("demo", "echo"), "echo", List.of(
                new Subset("stable", Map.of("version", "v1", "track", "stable")),
                new Subset("mismatch", Map.of("version", "v2", "track", "stable")),
                new Subset("all", Map.of())));

        List<BackendIr> backends = DestinationRuleTranslator.translate(services, List.of(dr), LocalityIr.NONE, notes);

        assertThat(backends).extracting(BackendIr::name).containsExactly("outbound|50051|all|" + ECHO,
                "outbound|50051|mismatch|" + ECHO, "outbound|50051|stable|" + ECHO, "outbound|50051||" + ECHO);
        assertThat(backends).extracting(DestinationRuleTranslatorTest::addresses).containsExactly(
                List.of("10.0.0.1", "10.0.0.2"), List.of(), List.of("10.0.0.1"), List.of("10.0.0.1", "10.0.0.2"));
        assertThat(notes).isEmpty();
    }

    @Test
    void firstRuleForAHostWinsAndRulesForUnknownHostsAreNoted() {
        List<DestinationRule> rules = List.of(rule("demo", "a", "echo", "v1"), rule("demo", "b", ECHO, "v2"),
                rule("demo", "c", "nope", "v1"));

        List<BackendIr> backends = DestinationRuleTranslator.translate(services, rules, LocalityIr.NONE, notes);

        assertThat(backends).extracting(b -> b.ref().subset()).containsExactly("v1", "");
        assertThat(notes).extracting(TranslationNote::toString).containsExactly(
                "DestinationRule demo/b: host " + ECHO + " already has DestinationRule demo/a (first by "
                        + "namespace/name wins); this rule is ignored",
                "DestinationRule demo/c: spec.host: no ServiceEntry or Kubernetes Service declares nope.demo.svc.cluster.local; its "
                        + "subsets are not served");
    }
}
