package meshlog.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import meshlog.ca.CertificateAuthority;
import meshlog.injector.InjectionSettings;
import meshlog.injector.WebhookTls;
import meshlog.injector.WebhookServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code meshlog injector --cluster NAME}: the sidecar injection webhook of one workload cluster, HTTPS on
 * {@code --port} (15017, as istiod's), its certificate from {@code --cert}/{@code --key} or issued by the CA in
 * {@code --ca-dir}. It reads no log: ready as soon as it serves.
 */
final class InjectorComponent implements Component {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.injector");
    static final int DEFAULT_PORT = 15017;
    static final Set<String> FLAGS = java.util.stream.Stream.concat(CaKeys.FLAGS.stream(), java.util.stream.Stream.of(
            "port", "cert", "key", "ca-dir", "cluster", "image", "xds-address", "ca-address"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * @param cert  PEM chain, with {@code key}; both null: issued by the CA in {@code caDir}
     * @param caDir the CA directory (default DATA/ca), as the distributor's
     * @param keys  {@code --cacerts} and {@code --ca-key-passphrase-file}, as the distributor's
     */
    record Options(InjectionSettings settings, int port, Path cert, Path key, Path caDir, CaKeys keys) {
        static Options parse(Flags f, Path dataDir) {
            if (f.has("cert") != f.has("key")) {
                throw new Flags.UsageException("--cert and --key go together (a PEM chain and its PKCS#8 key)");
            }
            Path cert = f.existingFile("cert");
            Path key = f.existingFile("key");
            if (cert != null && (f.has("ca-dir") || f.has("cacerts"))) {
                throw new Flags.UsageException("--ca-dir and --cacerts issue the certificate; with --cert/--key they"
                        + " are not used");
            }
            return new Options(InjectionFlags.parse(f), UpOptions.port(f, "port", DEFAULT_PORT), cert, key,
                    f.has("ca-dir") ? Path.of(f.get("ca-dir", "")) : dataDir.resolve("ca"), CaKeys.parse(f));
        }
    }

    private final Options options;
    private final WebhookTls tls;
    private final WebhookServer server;

    private InjectorComponent(Options options, WebhookTls tls, WebhookServer server) {
        this.options = options;
        this.tls = tls;
        this.server = server;
    }

    static InjectorComponent start(String bind, Options o) {
        WebhookTls tls = o.cert() != null ? WebhookTls.fromFiles(o.cert(), o.key())
                : WebhookTls.fromCa(o.keys().open(o.caDir(), Clock.systemUTC()),
                        o.settings().cluster(), Clock.systemUTC());
        try {
            WebhookServer server = WebhookServer.start(bind, o.port(), tls.context(), o.settings());
            LOG.info("started injector cluster={} at https://{}:{}{} certificate={} image={}", o.settings().cluster(),
                    bind, server.port(), WebhookServer.PATH, o.cert() != null ? o.cert() : "issued by " + o.keys().describe(o.caDir()),
                    o.settings().image());
            return new InjectorComponent(o, tls, server);
        } catch (IOException e) {
            tls.close();
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            tls.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "injector " + options.settings().cluster();
    }

    @Override
    public Map<String, String> notReady() {
        return Map.of();
    }

    record Status(String cluster, int port, String image, String xdsAddress, String caAddress,
                  WebhookServer.Counts reviews) {
    }

    @Override
    public Object status() {
        InjectionSettings s = options.settings();
        return new Status(s.cluster(), server.port(), s.image(), s.xdsAddress(), s.caAddress(), server.counts());
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        counter(registry, "injected", c -> c.injected());
        counter(registry, "skipped", c -> c.skipped());
        counter(registry, "refused", c -> c.refused());
        counter(registry, "bad_request", c -> c.badRequests());
    }

    private void counter(MeterRegistry registry, String outcome, ToDoubleFunction<WebhookServer.Counts> f) {
        FunctionCounter.builder("meshlog_injector_reviews", server, s -> f.applyAsDouble(s.counts()))
                .description("AdmissionReviews answered, by outcome").tag("outcome", outcome)
                .tag("cluster", options.settings().cluster()).register(registry);
    }

    @Override
    public Runnable heartbeat() {
        return server::counts;
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        tls.close();
    }
}
