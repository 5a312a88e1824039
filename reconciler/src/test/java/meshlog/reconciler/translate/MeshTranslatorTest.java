package meshlog.reconciler.translate;

import static meshlog.reconciler.translate.Model.cluster;
import static meshlog.reconciler.translate.Model.port;
import static meshlog.reconciler.translate.Model.route;
import static meshlog.reconciler.translate.Model.rule;
import static meshlog.reconciler.translate.Model.service;
import static meshlog.reconciler.translate.Model.to;
import static meshlog.reconciler.translate.Model.vs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.MeshIr;
import org.junit.jupiter.api.Test;

class MeshTranslatorTest {

    static List<MeshResource> config() {
        List<MeshResource> config = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String host = "svc" + i + ".demo.svc.cluster.local";
            config.add(service("demo", "svc" + i, host, List.of(port(50051, "grpc")),
                    Model.endpoint("10.0." + i + ".2", Map.of("version", "v2")),
                    Model.endpoint("10.0." + i + ".1", Map.of("version", "v1"))));
            config.add(rule("demo", "svc" + i, "svc" + i, "v1", "v2"));
            config.add(vs("demo", "svc" + i, "svc" + i, route(to("svc" + i, "v1", 90), to("svc" + i, "v2", 10))));
        }
        config.add(vs("demo", "dup", "svc3", route(to("svc3", "", null)))); // produces a note
        config.add(cluster("east", "us-east"));
        return config;
    }

    @Test
    void theOrderOfTheInputDoesNotMatter() {
        MeshIr expected = MeshTranslator.translate(config(), "east");
        for (long seed = 1; seed <= 5; seed++) {
            List<MeshResource> shuffled = config();
            Collections.shuffle(shuffled, new Random(seed));

            assertThat(MeshTranslator.translate(shuffled, "east")).isEqualTo(expected);
        }
        assertThat(expected.listeners()).hasSize(60); // 20 services, each by 3 names
        assertThat(expected.backends()).hasSize(60);
        assertThat(expected.notes()).hasSize(1);
    }

    @Test
    void theClusterLocalityComesFromItsClusterObject() {
        assertThat(MeshTranslator.localityOf(List.of(cluster("east", "us-east/a")), "east"))
                .isEqualTo(new LocalityIr("us-east", "a", ""));
        assertThat(MeshTranslator.localityOf(List.of(cluster("east", "us-east/a")), "west"))
                .isEqualTo(LocalityIr.NONE);
    }
}
