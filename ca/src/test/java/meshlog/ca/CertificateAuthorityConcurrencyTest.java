package meshlog.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityConcurrencyTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 20;
    private static final Instant NOW = Instant.parse("2031-03-04T05:06:07Z");

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threadsIssuingForANewClusterShareOneIntermediate(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", Clock.fixed(NOW, ZoneOffset.UTC));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<WorkloadCertificate> issued = new ArrayList<>();
        try {
            List<Future<List<WorkloadCertificate>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String serviceAccount = "sa-" + t;
                Callable<List<WorkloadCertificate>> task = () -> {
                    start.await();
                    List<WorkloadCertificate> mine = new ArrayList<>();
                    for (int i = 0; i < PER_THREAD; i++) {
                        mine.add(ca.issue("new-cluster", "default", serviceAccount));
                    }
                    return mine;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<List<WorkloadCertificate>> future : futures) {
                issued.addAll(future.get(50, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(issued).hasSize(THREADS * PER_THREAD);
        Set<X509Certificate> intermediates = new HashSet<>();
        Set<java.math.BigInteger> serials = new HashSet<>();
        for (WorkloadCertificate cert : issued) {
            Pki.validate(cert.certificateChainPem(), ca.trustBundlePem(), NOW);
            List<X509Certificate> chain = Pki.chain(cert.certificateChainPem());
            serials.add(chain.get(0).getSerialNumber());
            intermediates.add(chain.get(1));
        }
        assertThat(intermediates).hasSize(1);
        assertThat(serials).hasSize(THREADS * PER_THREAD);
        assertThat(Pki.certificate(Files.readString(dir.resolve("clusters/new-cluster/ca-cert.pem"))))
                .isEqualTo(intermediates.iterator().next());
        try (Stream<Path> files = Files.list(dir.resolve("clusters/new-cluster"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("ca-cert.pem", "ca-key.pem");
        }
    }
}
