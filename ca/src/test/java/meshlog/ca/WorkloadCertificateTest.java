package meshlog.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadCertificateTest {

    @Test
    void renewsHalfWayThroughItsLifetime() {
        WorkloadCertificate cert = new WorkloadCertificate("spiffe://cluster.local/ns/a/sa/b", "chain", "key",
                Instant.parse("2031-01-01T00:00:00Z"), Instant.parse("2031-01-02T00:00:00Z"));

        assertThat(cert.renewAt()).isEqualTo(Instant.parse("2031-01-01T12:00:00Z"));
    }

    @Test
    void toStringNeverShowsTheKey(@TempDir Path dir) {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local",
                Clock.fixed(Instant.parse("2031-03-04T05:06:07Z"), ZoneOffset.UTC));

        WorkloadCertificate cert = ca.issue("east", "default", "reviews");

        assertThat(cert.privateKeyPem()).contains("PRIVATE KEY");
        assertThat(cert.toString()).doesNotContain("PRIVATE KEY")
                .doesNotContain(cert.privateKeyPem().lines().skip(1).findFirst().orElseThrow())
                .contains("spiffe://cluster.local/ns/default/sa/reviews");
        assertThat(ca.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void rejectsAnEndBeforeTheStart() {
        assertThatThrownBy(() -> new WorkloadCertificate("id", "chain", "key",
                Instant.parse("2031-01-02T00:00:00Z"), Instant.parse("2031-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
