package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import meshlog.agent.Agent;
import meshlog.agent.AgentOptions;
import meshlog.agent.Credentials;
import meshlog.agent.KeyAlgorithm;
import meshlog.ca.CertificateAuthority;
import meshlog.ca.JoinTokens;
import meshlog.ca.WorkloadIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshlog up --cacerts DIR}: an operator's root and intermediate in Istio's layout (made with Bouncy Castle)
 * sign the workloads' certificates, which real {@code meshlog agent}s get through the CSR path, and two workloads
 * then authenticate each other over real mutual TLS, trusting only the plugged root. With a passphrase, no
 * unencrypted private key is in the data dir (broker log included) or the log lines.
 */
class PluggedCaEndToEndTest {

    private static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    Path tmp;

    @Test
    void workloadCertificatesChainToThePluggedRootAndAuthenticateEachOtherOverMutualTls() throws Exception {
        IstioCacerts.Ca root = IstioCacerts.root("Corp Root CA");
        IstioCacerts.Ca intermediate = IstioCacerts.intermediate(root, "east");
        Path cacerts = IstioCacerts.write(tmp.resolve("cacerts"), intermediate, root, PASSPHRASE, root);
        assertThat(Files.readString(cacerts.resolve("ca-key.pem"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY");
        Path data = tmp.resolve("data");
        List<Credentials> workloads = new ArrayList<>();

        String log = GitSyncLogCapture.stderr(() -> {
            try (MeshlogNode node = up(data, "--cacerts", cacerts.toString(), "--ca-key-passphrase-file",
                    passphraseFile(PASSPHRASE).toString())) {
                Path trusted = cacerts.resolve("root-cert.pem");
                workloads.add(certificate(node, data, "web", "ns1", "web", trusted));
                workloads.add(certificate(node, data, "db", "ns2", "db", trusted));
            }
        });
        Credentials web = workloads.get(0);
        Credentials db = workloads.get(1);

        WorkloadHandshake handshake = WorkloadHandshake.between(db, web);
        assertThat(handshake.failure()).isNull();
        List<X509Certificate> chain = handshake.clientChain();
        assertThat(chain.get(0).getSubjectAlternativeNames()).containsExactly(
                List.of(6, "spiffe://cluster.local/ns/ns1/sa/web"));
        assertThat(chain.get(1)).as("signed by the plugged intermediate").isEqualTo(intermediate.certificate());
        assertThat(chain.get(chain.size() - 1).getIssuerX500Principal())
                .isEqualTo(root.certificate().getSubjectX500Principal());
        assertThat(WorkloadHandshake.between(web, db).succeeded()).as("and the other way round").isTrue();
        validate(chain, root.certificate());
        String meshlogRoot = CertificateAuthority.open(tmp.resolve("own-ca"), "cluster.local", Clock.systemUTC())
                .trustBundlePem();
        try {
            validate(chain, WorkloadHandshake.certificates(meshlogRoot).get(0));
            throw new AssertionError("a self-signed meshlog root validated the plugged chain");
        } catch (CertPathValidatorException expected) {
            // the chain ends at the plugged root only
        }
        assertThat(web.rootsPem()).isEqualTo(root.pem());
        assertThat(data.resolve("ca/root-cert.pem")).as("no meshlog root was made").doesNotExist();
        assertThat(log).contains("keys: plugged-in CA " + cacerts.toAbsolutePath());
        assertNoKeyInTheClear(data, log, web, db);
    }

    @Test
    void meshlogsOwnKeysAreEncryptedWithAPassphraseAndAWrongOneStopsUpNamingTheKeyFile() throws Exception {
        Path data = tmp.resolve("data");
        List<Credentials> workloads = new ArrayList<>();
        String log = GitSyncLogCapture.stderr(() -> {
            try (MeshlogNode node = up(data, "--ca-key-passphrase-file", passphraseFile(PASSPHRASE).toString())) {
                Path trusted = tmp.resolve("mesh-root.pem");
                Files.copy(data.resolve("ca/root-cert.pem"), trusted);
                workloads.add(certificate(node, data, "web", "ns1", "web", trusted));
                workloads.add(certificate(node, data, "db", "ns2", "db", trusted));
            }
        });
        assertThat(WorkloadHandshake.between(workloads.get(1), workloads.get(0)).failure()).isNull();
        try (Stream<Path> files = Files.walk(data.resolve("ca"))) {
            assertThat(files.filter(f -> f.toString().endsWith("-key.pem")).toList()).hasSize(2)
                    .allSatisfy(f -> assertThat(Files.readString(f))
                            .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        }
        assertNoKeyInTheClear(data, log, workloads.get(0), workloads.get(1));

        Path wrong = passphraseFile("guess");
        String err = failedUp(data, "--ca-key-passphrase-file", wrong.toString());
        assertThat(err).contains(data.resolve("ca/root-key.pem").toAbsolutePath().normalize()
                + ": cannot decrypt the key with the passphrase from " + wrong + " (wrong passphrase?)")
                .doesNotContain("guess\n").doesNotContain("PRIVATE KEY");
        assertThat(failedUp(data)).contains("root-key.pem: the key is encrypted (ENCRYPTED PRIVATE KEY); give its"
                + " passphrase with --ca-key-passphrase-file");
    }

    @Test
    void aBadCacertsDirectoryStopsUpNamingTheFileAndWhatIsWrong() throws Exception {
        IstioCacerts.Ca root = IstioCacerts.root("Corp Root CA");
        IstioCacerts.Ca other = IstioCacerts.root("Other Root CA");
        IstioCacerts.Ca intermediate = IstioCacerts.intermediate(root, "east");
        Path cacerts = IstioCacerts.write(tmp.resolve("cacerts"), intermediate, root, PASSPHRASE, root);
        Path data = tmp.resolve("data");

        assertThat(failedUp(data, "--cacerts", cacerts.toString(), "--ca-key-passphrase-file",
                passphraseFile("guess").toString())).contains(cacerts.toAbsolutePath().resolve("ca-key.pem")
                + ": cannot decrypt the key");
        Files.writeString(cacerts.resolve("root-cert.pem"), other.pem());
        assertThat(failedUp(data, "--cacerts", cacerts.toString(), "--ca-key-passphrase-file",
                passphraseFile(PASSPHRASE).toString())).contains(cacerts.toAbsolutePath().resolve("cert-chain.pem")
                + ": the chain does not end at a root of root-cert.pem")
                .doesNotContain("PRIVATE KEY");
        Files.delete(cacerts.resolve("cert-chain.pem"));
        assertThat(failedUp(data, "--cacerts", cacerts.toString())).contains(
                cacerts.toAbsolutePath().resolve("cert-chain.pem") + ": missing; --cacerts DIR needs ca-cert.pem,"
                        + " ca-key.pem, root-cert.pem and cert-chain.pem");
        assertThat(failedUp(data, "--cacerts", tmp.resolve("nowhere").toString()))
                .contains("--cacerts " + tmp.resolve("nowhere") + " is not a directory");
        assertThat(data.resolve("kafka")).as("nothing started").doesNotExist();
    }

    /** Starts {@code up} on one cluster with free ports and the extra flags. */
    private MeshlogNode up(Path data, String... flags) throws Exception {
        Path repo = repo();
        List<String> args = new ArrayList<>(List.of("--repo", repo.toString(), "--data-dir", data.toString(),
                "--clusters", "east", "--replicas", "1", "--xds-port", "0", "--xds-tls-port", "0", "--admin-port", "0",
                "--ca-port", "0", "--poll", "200ms"));
        args.addAll(List.of(flags));
        return MeshlogNode.start(UpOptions.parse(args));
    }

    /** {@code meshlog up} as the command line runs it, expected to stop at once: its stderr. */
    private String failedUp(Path data, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("up", "--repo", repo().toString(), "--data-dir", data.toString(),
                "--clusters", "east", "--replicas", "1", "--xds-port", "0", "--xds-tls-port", "0", "--admin-port", "0",
                "--ca-port", "0"));
        args.addAll(List.of(flags));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err))).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path repo() {
        Path repo = tmp.resolve("repo");
        if (!Files.isDirectory(repo)) {
            assertThat(Main.run(List.of("init", repo.toString()), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(new ByteArrayOutputStream()))).isZero();
        }
        return repo;
    }

    private Path passphraseFile(String passphrase) throws Exception {
        return Files.writeString(Files.createTempFile(tmp, "passphrase", ".txt"), passphrase + "\n");
    }

    /**
     * A certificate as a workload's agent gets it: its own key, a CSR to the node's CA with a join token, and
     * {@code trusted} as its ROOTCA. The agent is stopped once it has it.
     */
    static Credentials certificate(MeshlogNode node, Path data, String name, String namespace, String serviceAccount,
                                   Path trusted) throws Exception {
        Path dir = Files.createDirectories(data.getParent().resolve("agents"));
        Path token = Files.writeString(dir.resolve(name + "-" + System.nanoTime() + ".token"),
                JoinTokens.open(data.resolve("ca"), Clock.systemUTC()).create(
                        new WorkloadIdentity(namespace, serviceAccount), Duration.ofMinutes(10)));
        AgentOptions options = new AgentOptions("127.0.0.1", node.caPort(), "127.0.0.1",
                node.replicas().get(0).server().tlsPort(), trusted, null, token, "east",
                dir.resolve(name + "-" + (System.nanoTime() % 100000) + ".sock"), null, KeyAlgorithm.EC_P256,
                null, null);
        try (Agent agent = Agent.start(options, Clock.systemUTC())) {
            return agent.current();
        }
    }

    private static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(chain), parameters);
    }

    /**
     * No PEM private key but encrypted ones in any file under the data dir (the CA directory and the broker's log
     * segments, where every topic is), and nothing of a key or the passphrase in the log lines.
     */
    static void assertNoKeyInTheClear(Path data, String log, Credentials... workloads) throws Exception {
        List<String> markers = new ArrayList<>(List.of("BEGIN PRIVATE KEY", "BEGIN EC PRIVATE KEY",
                "BEGIN RSA PRIVATE KEY", PASSPHRASE));
        for (Credentials w : workloads) {
            markers.add(w.privateKeyPem().lines().skip(1).findFirst().orElseThrow());
        }
        int scanned = 0;
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String marker : markers) {
                    assertThat(text).as(f.toString()).doesNotContain(marker);
                }
                scanned++;
            }
        }
        assertThat(scanned).isGreaterThan(5);
        assertThat(log).contains("meshlog up in");
        for (String marker : markers) {
            assertThat(log).doesNotContain(marker);
        }
        assertThat(log).doesNotContain("PRIVATE KEY");
    }
}
