package meshlog.ca;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Measures how many workload certificates one {@link CertificateAuthority} issues per second, single-threaded and
 * with one thread per core. Not a test: run it by hand, e.g.
 * {@code java -cp ca/target/classes:ca/target/test-classes:<bcprov,bcpkix,bcutil jars> meshlog.ca.IssuanceBenchmark}
 * after {@code mvn -pl ca install}. Measured on 2 cores (AMD EPYC, JDK 17.0.15): about 840 certs/s on one thread,
 * 1,400 to 1,570 certs/s on two (key generation and signing dominate; less when the cores are shared).
 */
final class IssuanceBenchmark {

    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 2_000;

    private IssuanceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("meshlog-ca-bench");
        CertificateAuthority ca = CertificateAuthority.open(dir, "cluster.local", Clock.systemUTC());
        for (int i = 0; i < WARM_UP; i++) {
            ca.issue("bench", "default", "sa-" + (i % 50));
        }
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.printf("cores: %d, java %s%n", threads, System.getProperty("java.version"));
        report("1 thread", MEASURED, run(ca, 1));
        report(threads + " threads", MEASURED, run(ca, threads));
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    /** Issues {@link #MEASURED} certificates split over {@code threads}; returns the elapsed nanoseconds. */
    private static long run(CertificateAuthority ca, int threads) throws InterruptedException {
        Thread[] workers = new Thread[threads];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int share = MEASURED / threads;
            workers[t] = new Thread(() -> {
                for (int i = 0; i < share; i++) {
                    ca.issue("bench", "default", "sa-" + (i % 50));
                }
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return System.nanoTime() - start;
    }

    private static void report(String label, int count, long nanos) {
        double seconds = nanos / 1e9;
        System.out.printf("%s: %d certificates in %.2f s = %.0f certs/s (%.2f ms each)%n", label, count, seconds,
                count / seconds, seconds * 1000 / count);
    }
}
