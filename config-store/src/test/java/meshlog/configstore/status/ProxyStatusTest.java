package meshlog.configstore.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import meshlog.configstore.kafka.KafkaBrokerExtension;
import meshlog.configstore.status.ProxyStatus.TypeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyStatusTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    private static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void theReaderReturnsTheLatestStatusPerProxy() {
        String p1 = "sidecar~10.0.0.1~reviews-v1-abc.default~default.svc.cluster.local";
        String p2 = "sidecar~10.0.0.2~ratings-v1-def.default~default.svc.cluster.local";
        ProxyStatus latest = status("east", p1, Map.of(LDS, new TypeStatus("v2", null, null, T0.plusSeconds(2)),
                RDS, new TypeStatus("v1", "v2", "Sum of cluster weights should be above 0", T0.plusSeconds(2))));
        try (ProxyStatusPublisher pub = new ProxyStatusPublisher(KAFKA.bootstrap())) {
            pub.accept(status("east", p1, Map.of(LDS, new TypeStatus("v1", null, null, T0))));
            pub.accept(status("east", p2, Map.of(LDS, new TypeStatus("v1", null, null, T0))));
            pub.accept(status("west", p1, Map.of()));
            pub.accept(latest);
            pub.forget("east", p2);
            assertThat(pub.failures()).isZero();
        } // close() sends what is buffered

        assertThat(ProxyStatusReader.readLatest(KAFKA.bootstrap(), Duration.ofSeconds(10)))
                .containsExactly(latest, status("west", p1, Map.of()));
    }

    @Test
    void theCodecRoundTrips() {
        ProxyStatus s = status("east", "p", Map.of(RDS, new TypeStatus(null, "v9", "bad route", T0)));

        assertThat(ProxyStatusCodec.decode(ProxyStatusCodec.encode(s))).isEqualTo(s);
        assertThat(ProxyStatusCodec.key("east", "p")).isEqualTo("east/p");
    }

    private static ProxyStatus status(String cluster, String proxy, Map<String, TypeStatus> types) {
        return new ProxyStatus(cluster, proxy, "127.0.0.1:15010", true, types, T0.plusSeconds(types.size()));
    }
}
