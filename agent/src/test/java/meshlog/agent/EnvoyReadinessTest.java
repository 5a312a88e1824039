package meshlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EnvoyReadinessTest {

    static final String LIVE = """
            cluster_manager.cds.update_rejected: 0
            cluster_manager.cds.update_success: 1
            listener_manager.lds.update_rejected: 0
            listener_manager.lds.update_success: 2
            """;

    @Test
    void readyOnlyWithCertificateLiveEnvoyAndFirstCdsAndLds() {
        assertThat(EnvoyReadiness.of(true, false, "LIVE", LIVE))
                .isEqualTo(new EnvoyReadiness.Verdict(true, "ready"));
        assertThat(EnvoyReadiness.of(false, false, "LIVE", LIVE).reason()).isEqualTo("no workload certificate yet");
        assertThat(EnvoyReadiness.of(true, true, "LIVE", LIVE).reason()).isEqualTo("draining");
        assertThat(EnvoyReadiness.of(true, false, null, null).reason()).isEqualTo("Envoy's admin API does not answer");
        assertThat(EnvoyReadiness.of(true, false, "PRE_INITIALIZING\n", LIVE).reason())
                .isEqualTo("Envoy is not LIVE (PRE_INITIALIZING)");
        assertThat(EnvoyReadiness.of(true, false, "LIVE",
                LIVE.replace("lds.update_success: 2", "lds.update_success: 0"))
                .reason()).isEqualTo("Envoy has received no LDS yet");
        assertThat(EnvoyReadiness.of(true, false, "LIVE",
                LIVE.replace("cds.update_success: 1", "cds.update_success: 0"))
                .reason()).isEqualTo("Envoy has received no CDS yet");
    }

    @Test
    void aRejectedFirstUpdateStillCountsAsReceived() {
        String rejected = LIVE.replace("cds.update_success: 1", "cds.update_success: 0")
                .replace("cds.update_rejected: 0", "cds.update_rejected: 1");
        assertThat(EnvoyReadiness.of(true, false, "LIVE", rejected).ready()).isTrue();
    }

    @Test
    void backoffDoublesUpToItsBound() {
        EnvoySettings s = new EnvoySettings(Path.of("envoy"), Path.of("b.json"), Path.of("."), 2,
                EnvoySettings.DEFAULT_DRAIN, 5, Duration.ofMillis(200), Duration.ofSeconds(1));
        assertThat(s.backoff(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(s.backoff(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(s.backoff(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(s.backoff(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.backoff(40)).isEqualTo(Duration.ofSeconds(1));
    }
}
