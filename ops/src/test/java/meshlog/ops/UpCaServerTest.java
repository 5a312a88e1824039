package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import meshlog.ca.Csrs;
import meshlog.caserver.CertificateClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshlog up} serves Istio's certificate API beside the distributors, and {@code meshlog token create} on
 * the same data dir makes a join token it accepts once: a machine outside Kubernetes gets its SPIFFE certificate
 * over real TLS, and the token is in no log line.
 */
class UpCaServerTest {

    @TempDir
    Path tmp;

    @Test
    void aJoinTokenFromTheCommandLineGetsACertificateFromUpOnce() throws Exception {
        Path data = tmp.resolve("data");
        try (MeshlogNode node = up(data, "east", "west")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Main.run(List.of("token", "create", "--namespace", "legacy", "--service-account",
                    "billing-vm", "--ttl", "10m", "--data-dir", data.toString()), new PrintStream(out),
                    new PrintStream(err))).isZero();
            String token = out.toString(StandardCharsets.UTF_8).strip();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                    "join token for spiffe://cluster.local/ns/legacy/sa/billing-vm, valid 10m, once").doesNotContain(
                    token);
            String root = Files.readString(data.resolve("ca/root-cert.pem"));

            try (CertificateClient client = new CertificateClient("127.0.0.1", node.caPort(), root, null, null)) {
                String csr = Csrs.csr(Csrs.ec("secp256r1"), "spiffe://cluster.local/ns/default/sa/admin");
                List<String> chain = client.create(csr, 0, token, "west");

                X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(chain.get(0).getBytes(StandardCharsets.US_ASCII)));
                assertThat(leaf.getSubjectAlternativeNames())
                        .containsExactly(List.of(6, "spiffe://cluster.local/ns/legacy/sa/billing-vm"));
                assertThat(chain.get(1)).isEqualTo(Files.readString(data.resolve("ca/clusters/west/ca-cert.pem")));
                assertThat(chain.get(2)).isEqualTo(root);
                assertThatThrownBy(() -> client.create(csr, 0, token, "west"))
                        .isInstanceOf(StatusRuntimeException.class)
                        .hasMessage("UNAUTHENTICATED: join token was already used");
                assertThatThrownBy(() -> client.create(csr, 0, null, "east"))
                        .isInstanceOf(StatusRuntimeException.class)
                        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                                .isEqualTo(Status.Code.UNAUTHENTICATED));
            }
            assertThat(node.replicas()).hasSize(2);
            assertThat(keyFiles(data)).allSatisfy(f -> assertThat(Files.readString(f)).doesNotContain(token));
        }
    }

    /**
     * Each request counts once under istiod's names on up's /metrics: a bad CSR and a too-long validity as signing
     * errors with istiod's error labels (the join token is not burnt by them), the good CSR as one issuance, the
     * token's reuse as an authentication failure; the root's expiry is its certificate's notAfter.
     */
    @Test
    void eachCertificateRequestCountsOnceOnUpsMetricsUnderIstiodsNames() throws Exception {
        Path data = tmp.resolve("data");
        try (MeshlogNode node = up(data, "east")) {
            String token = meshlog.ca.JoinTokens.open(MeshlogNode.caDir(data), java.time.Clock.systemUTC())
                    .create(new meshlog.ca.WorkloadIdentity("legacy", "billing-vm"), Duration.ofMinutes(10));
            String root = Files.readString(data.resolve("ca/root-cert.pem"));
            assertThat(counts(node)).isEqualTo(List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.0));
            try (CertificateClient client = new CertificateClient("127.0.0.1", node.caPort(), root, null, null)) {
                String csr = Csrs.csr(Csrs.ec("secp256r1"), "spiffe://cluster.local/ns/default/sa/admin");
                assertThatThrownBy(() -> client.create("-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgQ1NS\n"
                        + "-----END CERTIFICATE REQUEST-----\n", 0, token, "east"))
                        .isInstanceOf(StatusRuntimeException.class).hasMessageStartingWith("INVALID_ARGUMENT");
                // csr, issued, CSR_ERROR, TTL_ERROR, CERT_GEN_ERROR, authentication failures
                assertThat(counts(node)).isEqualTo(List.of(1.0, 0.0, 1.0, 0.0, 0.0, 0.0));
                assertThatThrownBy(() -> client.create(csr, Duration.ofDays(91).toSeconds(), token, "east"))
                        .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("90 days");
                assertThat(counts(node)).isEqualTo(List.of(2.0, 0.0, 1.0, 1.0, 0.0, 0.0));
                assertThat(client.create(csr, 0, token, "east")).hasSize(3);
                assertThat(counts(node)).isEqualTo(List.of(3.0, 1.0, 1.0, 1.0, 0.0, 0.0));
                assertThatThrownBy(() -> client.create(csr, 0, token, "east"))
                        .hasMessage("UNAUTHENTICATED: join token was already used");
                assertThat(counts(node)).isEqualTo(List.of(4.0, 1.0, 1.0, 1.0, 0.0, 1.0));
            }
            X509Certificate rootCert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(root.getBytes(StandardCharsets.US_ASCII)));
            assertThat(PrometheusText.value(PrometheusText.scrape(node.adminPort()),
                    "citadel_server_root_cert_expiry_timestamp"))
                    .isEqualTo((double) rootCert.getNotAfter().toInstant().getEpochSecond());
        }
    }

    /** {@code meshlog up} on a repository {@code meshlog init} made, with its data under {@code data}. */
    private MeshlogNode up(Path data, String... clusters) throws Exception {
        Path repo = tmp.resolve("repo");
        assertThat(Main.run(List.of("init", repo.toString()), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()))).isZero();
        return MeshlogNode.start(new UpOptions(repo, null, List.of(clusters), 1, 0, 0, data, null,
                Duration.ofMillis(200), "127.0.0.1"));
    }

    private static List<Double> counts(MeshlogNode node) throws Exception {
        String m = PrometheusText.scrape(node.adminPort());
        return Stream.of("citadel_server_csr_count", "citadel_server_success_cert_issuance_count",
                "citadel_server_csr_sign_err_count{error=\"CSR_ERROR\"}",
                "citadel_server_csr_sign_err_count{error=\"TTL_ERROR\"}",
                "citadel_server_csr_sign_err_count{error=\"CERT_GEN_ERROR\"}",
                "citadel_server_authentication_failure_count").map(series -> PrometheusText.value(m, series))
                .toList();
    }

    /** Everything the node wrote that is text-like: the CA directory, and nothing in it holds the token. */
    private static List<Path> keyFiles(Path data) throws Exception {
        try (Stream<Path> files = Files.walk(data.resolve("ca"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
