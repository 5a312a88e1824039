package meshlog.ca;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * meshlog's certificate authority: one root for the mesh, one intermediate per cluster, and short-lived SPIFFE
 * workload certificates that proxies get over SDS. Defaults are Istio's: ECDSA P-256 keys, a 10-year root and
 * 24-hour workload certificates renewed at half-life. Each cluster's intermediate is valid for 1 year, so that a
 * cluster's signing key is not the root's and can be replaced on its own; it is replaced automatically once it has
 * less than one workload lifetime (24 h) left.
 *
 * <p>State lives in a directory of PEM files ({@code root-cert.pem}, {@code root-key.pem},
 * {@code clusters/<cluster>/ca-cert.pem}, {@code clusters/<cluster>/ca-key.pem}); key files are mode 0600 and
 * written atomically. A root can be plugged in by placing its two files there before the first {@link #open}.
 * Only one process may use a directory at a time.
 *
 * <p>Instances are thread-safe: {@link #issue} may be called from any number of threads. Keys never appear in
 * exceptions or {@code toString()} output.
 */
public final class CertificateAuthority {

    /** The longest workload certificate a CSR may ask for: Istio's {@code MAX_WORKLOAD_CERT_TTL} default. */
    public static final Duration MAX_LEAF_TTL = Duration.ofDays(90);

    private final CaDirectory files;
    private final String trustDomain;
    private final Clock clock;
    private final SigningIdentity root;
    private final String trustBundlePem;
    private final ConcurrentMap<String, SigningIdentity> intermediates = new ConcurrentHashMap<>();
    private final Object creationLock = new Object();

    private CertificateAuthority(CaDirectory files, String trustDomain, Clock clock, SigningIdentity root) {
        this.files = files;
        this.trustDomain = trustDomain;
        this.clock = clock;
        this.root = root;
        this.trustBundlePem = Pem.certificate(root.certificate());
    }

    /**
     * Loads root and intermediates from dir (PEM files), creating the root on first use.
     *
     * @param dir         the CA's directory; created if missing
     * @param trustDomain the SPIFFE trust domain, usually {@code cluster.local}
     * @param clock       the source of "now" for validity periods
     * @throws IllegalArgumentException if the trust domain is not a valid SPIFFE trust domain
     * @throws IllegalStateException    if the stored root is unusable (key missing or not matching, expired)
     */
    public static CertificateAuthority open(Path dir, String trustDomain, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        Names.trustDomain(trustDomain);
        Objects.requireNonNull(clock, "clock");
        CaDirectory files = new CaDirectory(dir);
        Instant now = clock.instant();
        SigningIdentity root = files.loadRoot()
                .map(stored -> checkRoot(files, stored, now))
                .orElseGet(() -> {
                    SigningIdentity created = Certificates.root(KeyPairs.generate(), trustDomain, now);
                    files.saveRoot(created);
                    return created;
                });
        CertificateAuthority ca = new CertificateAuthority(files, trustDomain, clock, root);
        for (String cluster : files.clusters()) {
            // Anything unusable (half-written rotation, signed by another root, expiring) is replaced on demand.
            files.loadCluster(cluster).filter(stored -> ca.usable(stored, now))
                    .ifPresent(stored -> ca.intermediates.put(cluster, stored));
        }
        return ca;
    }

    /**
     * Creates (and persists) the cluster's intermediate if it does not exist yet. Idempotent.
     *
     * @throws IllegalArgumentException if {@code cluster} is not a DNS-1123 name
     */
    public void ensureCluster(String cluster) {
        intermediate(Names.cluster(cluster), clock.instant());
    }

    /**
     * A fresh key pair and leaf cert signed by the cluster's intermediate (ensureCluster implicitly). The leaf has
     * the SPIFFE ID as its only URI SAN, is not a CA, and may be used for TLS server and client authentication.
     *
     * @throws IllegalArgumentException if a name is not a DNS-1123 name; the message quotes the value
     */
    public WorkloadCertificate issue(String cluster, String namespace, String serviceAccount) {
        String validCluster = Names.cluster(cluster);
        String spiffeId = Names.spiffeId(trustDomain, Names.namespace(namespace),
                Names.serviceAccount(serviceAccount));
        Instant now = clock.instant();
        SigningIdentity issuer = intermediate(validCluster, now);
        KeyPair keys = KeyPairs.generate();
        X509Certificate leaf = Certificates.leaf(keys.getPublic(), spiffeId, issuer, now);
        return new WorkloadCertificate(spiffeId,
                Pem.certificate(leaf) + Pem.certificate(issuer.certificate()),
                Pem.privateKey(keys.getPrivate()),
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
    }

    /**
     * Signs a checked CSR for {@code identity} with the cluster's intermediate: Istio's {@code CreateCertificate}.
     * The certificate's only SAN is the identity's SPIFFE ID, whatever the CSR asked for.
     *
     * @param lifetime from {@link #lifetime(long)}
     * @throws IllegalArgumentException if {@code cluster} is not a DNS-1123 name
     */
    public SignedChain sign(String cluster, CertificateRequest csr, WorkloadIdentity identity, Duration lifetime) {
        String validCluster = Names.cluster(cluster);
        String spiffeId = identity.spiffeId(trustDomain);
        Instant now = clock.instant();
        SigningIdentity issuer = intermediate(validCluster, now);
        X509Certificate leaf = Certificates.leaf(csr.publicKey(), spiffeId, issuer, now, lifetime);
        return new SignedChain(spiffeId, List.of(Pem.certificate(leaf), Pem.certificate(issuer.certificate()),
                trustBundlePem), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
    }

    /**
     * The validity for a request of {@code requestedSeconds}, as Istio's CA decides it: 0 or less means the default
     * (24 h); more than {@link #MAX_LEAF_TTL} (90 days) is refused, not shortened.
     *
     * @throws CsrRejectedException if the request is longer than 90 days
     */
    public static Duration lifetime(long requestedSeconds) {
        if (requestedSeconds <= 0) {
            return Certificates.LEAF_TTL;
        }
        if (requestedSeconds > MAX_LEAF_TTL.toSeconds()) {
            throw new CsrRejectedException("requested validity_duration " + requestedSeconds + " s is greater than"
                    + " the maximum " + MAX_LEAF_TTL.toSeconds() + " s (90 days)");
        }
        return Duration.ofSeconds(requestedSeconds);
    }

    /**
     * A TLS server certificate and its fresh key for the CA's own port, signed by the cluster's intermediate, with
     * {@code dnsNames} as its only SANs; valid 24 h. The key stays in this process.
     */
    public ServingCertificate issueServing(String cluster, List<String> dnsNames) {
        Instant now = clock.instant();
        SigningIdentity issuer = intermediate(Names.cluster(cluster), now);
        KeyPair keys = KeyPairs.generate();
        X509Certificate leaf = Certificates.server(keys.getPublic(), dnsNames, issuer, now);
        return new ServingCertificate(List.copyOf(dnsNames), Pem.certificate(leaf)
                + Pem.certificate(issuer.certificate()), Pem.privateKey(keys.getPrivate()),
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
    }

    /** PEM of the root certificate: what proxies trust (SDS "ROOTCA"). */
    public String trustBundlePem() {
        return trustBundlePem;
    }

    /** The SPIFFE trust domain every issued identity belongs to. */
    public String trustDomain() {
        return trustDomain;
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + files.path() + ", trustDomain=" + trustDomain + ", clusters="
                + intermediates.keySet() + "]";
    }

    private SigningIdentity intermediate(String cluster, Instant now) {
        SigningIdentity current = intermediates.get(cluster);
        if (current != null && coversOneLeaf(current, now)) {
            return current;
        }
        // One lock for all clusters: creation is rare, and it keeps two threads from writing the same files.
        synchronized (creationLock) {
            current = intermediates.get(cluster);
            if (current != null && coversOneLeaf(current, now)) {
                return current;
            }
            SigningIdentity created = Certificates.intermediate(KeyPairs.generate(), trustDomain, cluster, root, now);
            files.saveCluster(cluster, created);
            intermediates.put(cluster, created);
            return created;
        }
    }

    private boolean usable(SigningIdentity intermediate, Instant now) {
        try {
            intermediate.certificate().verify(root.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return false;
        }
        return coversOneLeaf(intermediate, now)
                && !intermediate.certificate().getNotBefore().toInstant().isAfter(now)
                && KeyPairs.matches(intermediate.privateKey(), intermediate.certificate().getPublicKey());
    }

    private static boolean coversOneLeaf(SigningIdentity intermediate, Instant now) {
        return !intermediate.certificate().getNotAfter().toInstant().isBefore(now.plus(Certificates.LEAF_TTL));
    }

    private static SigningIdentity checkRoot(CaDirectory files, SigningIdentity root, Instant now) {
        X509Certificate cert = root.certificate();
        if (!KeyPairs.matches(root.privateKey(), cert.getPublicKey())) {
            throw new IllegalStateException("the root key in " + files.path() + " does not match the root certificate");
        }
        if (!cert.getNotAfter().toInstant().isAfter(now)) {
            throw new IllegalStateException("the root certificate in " + files.path() + " expired at "
                    + cert.getNotAfter().toInstant() + "; replace root-cert.pem and root-key.pem");
        }
        if (cert.getBasicConstraints() < 0) {
            throw new IllegalStateException("the root certificate in " + files.path() + " is not a CA certificate");
        }
        return root;
    }
}
