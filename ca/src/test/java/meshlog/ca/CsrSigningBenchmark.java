package meshlog.ca;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates per second for CSRs (the CA's {@code CertificateRequest.parse} and {@code sign}: signature check,
 * key check, leaf with extensions, PEM), against raw Bouncy Castle signing of a bare certificate for the same
 * public keys with the same intermediate key, in the same run. Not a test: run it by hand (see
 * {@link IssuanceBenchmark} for the class path). The CSRs are made beforehand: key generation is the workload's
 * cost now, not the CA's.
 */
final class CsrSigningBenchmark {

    private static final int CSRS = 300;
    private static final int ROUNDS = 5;

    private CsrSigningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("meshlog-csr-bench");
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", Clock.systemUTC());
        ca.ensureCluster("bench");
        SigningIdentity issuer = new CaDirectory(dir).loadCluster("bench").orElseThrow();
        System.out.printf("java %s, %d cores%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        for (String kind : List.of("EC P-256", "RSA 2048")) {
            List<String> csrs = new ArrayList<>();
            List<PublicKey> keys = new ArrayList<>();
            for (int i = 0; i < CSRS; i++) {
                KeyPair pair = kind.startsWith("EC") ? Csrs.ec("secp256r1") : Csrs.rsa(2048);
                csrs.add(Csrs.csr(pair, "spiffe://cluster.local/ns/default/sa/bench"));
                keys.add(pair.getPublic());
            }
            WorkloadIdentity identity = new WorkloadIdentity("default", "bench");
            double meshlog = 0;
            double raw = 0;
            for (int round = 0; round < ROUNDS; round++) { // the first rounds warm up; the best of each counts
                long t0 = System.nanoTime();
                for (String csr : csrs) {
                    ca.sign("bench", CertificateRequest.parse(csr), identity, Duration.ofHours(24));
                }
                long t1 = System.nanoTime();
                for (PublicKey key : keys) {
                    rawSign(issuer, key);
                }
                long t2 = System.nanoTime();
                meshlog = Math.max(meshlog, CSRS / ((t1 - t0) / 1e9));
                raw = Math.max(raw, CSRS / ((t2 - t1) / 1e9));
            }
            System.out.printf("%s CSRs: meshlog %.0f certs/s, raw BC %.0f certs/s (%.0f %%)%n", kind, meshlog, raw,
                    100 * meshlog / raw);
        }
    }

    private static void rawSign(SigningIdentity issuer, PublicKey key) throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=issuer"), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now), Date.from(now.plusSeconds(86400)), new X500Name("CN=leaf"), key);
        new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.privateKey())));
    }
}
