package meshlog.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.function.ToDoubleFunction;
import meshlog.caserver.CsrCounts;

/**
 * The CA server's metrics under istiod's names ({@code security/pkg/server/ca/monitoring.go}), on {@code up}'s
 * {@code /metrics}: gauges over the server's counts, as the distributor's, because a Micrometer counter's
 * exposition name would gain {@code _total} and istiod's dashboards query these exact names.
 */
final class CaMetrics {

    private CaMetrics() {
    }

    static void bind(MeterRegistry r, CsrCounts counts, String rootPem) {
        count(r, "citadel_server_csr_count", "CSRs received (as istiod's)", counts, CsrCounts::requests);
        count(r, "citadel_server_success_cert_issuance_count", "certificates issued (as istiod's)", counts,
                CsrCounts::issued);
        count(r, "citadel_server_authentication_failure_count", "callers refused as unauthenticated (as istiod's)",
                counts, CsrCounts::authenticationFailures);
        count(r, "citadel_server_csr_parsing_err_count", "requests that were no IstioCertificateRequest (as"
                + " istiod's)", counts, CsrCounts::parsingErrors);
        for (String error : CsrCounts.SIGN_ERRORS) {
            Gauge.builder("citadel_server_csr_sign_err_count", counts, c -> c.signErrors(error))
                    .description("requests refused at signing, by istiod's error type").tag("error", error)
                    .register(r);
        }
        double expiry = notAfterSeconds(rootPem);
        Gauge.builder("citadel_server_root_cert_expiry_timestamp", () -> expiry)
                .description("unix time in seconds when the mesh root certificate expires (as istiod's)")
                .register(r);
    }

    private static void count(MeterRegistry r, String name, String description, CsrCounts counts,
            ToDoubleFunction<CsrCounts> f) {
        Gauge.builder(name, counts, f).description(description).register(r);
    }

    /** The first certificate's notAfter in unix seconds; -1 when the PEM cannot be read, as istiod's error value. */
    static double notAfterSeconds(String pem) {
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return c.getNotAfter().toInstant().getEpochSecond();
        } catch (CertificateException | RuntimeException e) {
            return -1;
        }
    }
}
