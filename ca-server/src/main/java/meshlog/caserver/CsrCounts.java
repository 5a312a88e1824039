package meshlog.caserver;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the certificate API was asked and answered since start, as istiod's CA server counts it (its
 * {@code citadel_server_*} metrics): every request, each outcome once. Thread-safe; ops exports it.
 */
public final class CsrCounts {

    /** istiod's {@code error} label of a signing error: the CSR itself is bad. */
    public static final String CSR_ERROR = "CSR_ERROR";
    /** The requested validity is refused (longer than the 90-day maximum). */
    public static final String TTL_ERROR = "TTL_ERROR";
    /** The CA failed while signing a good request. */
    public static final String CERT_GEN_ERROR = "CERT_GEN_ERROR";
    /** The {@code error} values meshlog produces (istiod's {@code CA_NOT_READY} cannot happen here). */
    public static final List<String> SIGN_ERRORS = List.of(CSR_ERROR, TTL_ERROR, CERT_GEN_ERROR);

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong authenticationFailures = new AtomicLong();
    private final AtomicLong parsingErrors = new AtomicLong();
    private final Map<String, AtomicLong> signErrors = new ConcurrentHashMap<>();

    CsrCounts() {
        SIGN_ERRORS.forEach(e -> signErrors.put(e, new AtomicLong()));
    }

    /** Requests received, whatever became of them ({@code citadel_server_csr_count}). */
    public long requests() {
        return requests.get();
    }

    /** Certificates issued ({@code citadel_server_success_cert_issuance_count}). */
    public long issued() {
        return issued.get();
    }

    /** Callers refused as unauthenticated ({@code citadel_server_authentication_failure_count}). */
    public long authenticationFailures() {
        return authenticationFailures.get();
    }

    /** Requests that were not an IstioCertificateRequest ({@code citadel_server_csr_parsing_err_count}). */
    public long parsingErrors() {
        return parsingErrors.get();
    }

    /** Requests refused at signing, by one of {@link #SIGN_ERRORS} ({@code citadel_server_csr_sign_err_count}). */
    public long signErrors(String error) {
        AtomicLong n = signErrors.get(error);
        return n == null ? 0 : n.get();
    }

    void received() {
        requests.incrementAndGet();
    }

    void issuedOne() {
        issued.incrementAndGet();
    }

    void unauthenticated() {
        authenticationFailures.incrementAndGet();
    }

    void unparsable() {
        parsingErrors.incrementAndGet();
    }

    void signError(String error) {
        signErrors.get(error).incrementAndGet();
    }
}
