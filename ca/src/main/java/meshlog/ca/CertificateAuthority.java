package meshlog.ca;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * meshlog's certificate authority: one root for the mesh, one intermediate per cluster, and short-lived SPIFFE
 * workload certificates that proxies get over SDS. Defaults are Istio's: ECDSA P-256 keys, a 10-year root and
 * 24-hour workload certificates renewed at half-life. Each cluster's intermediate is valid for 1 year, so that a
 * cluster's signing key is not the root's and can be replaced on its own; it is replaced automatically once it has
 * less than one workload lifetime (24 h) left.
 *
 * <p>State lives in a directory of PEM files ({@code root-cert.pem}, {@code root-key.pem},
 * {@code clusters/<cluster>/ca-cert.pem}, {@code clusters/<cluster>/ca-key.pem}); key files are mode 0600,
 * written atomically, and encrypted PKCS#8 when a {@link KeyPassphrase} is given. A root can be plugged in by
 * placing its two files there before the first {@link #open}. Only one process may use a directory at a time.
 *
 * <p>{@link #plugged} instead signs with an operator's CA in Istio's {@code cacerts} layout, as istiod with
 * {@code /etc/cacerts}: its {@code ca-cert.pem} signs every cluster's certificates and its {@code root-cert.pem}
 * is the trust bundle; nothing is written.
 *
 * <p>Instances are thread-safe: {@link #issue} may be called from any number of threads. Keys never appear in
 * exceptions or {@code toString()} output.
 */
public final class CertificateAuthority {

    /** The longest workload certificate a CSR may ask for: Istio's {@code MAX_WORKLOAD_CERT_TTL} default. */
    public static final Duration MAX_LEAF_TTL = Duration.ofDays(90);

    private final String trustDomain;
    private final Clock clock;
    /** meshlog's own root and intermediates; null when a CA is plugged in. */
    private final ManagedPki managed;
    /** The plugged-in CA's signer; null when meshlog manages its own. */
    private final Issuer plugged;
    private final String trustBundlePem;
    private final String source;

    private CertificateAuthority(String trustDomain, Clock clock, ManagedPki managed, Issuer plugged,
                                 String trustBundlePem, String source) {
        this.trustDomain = trustDomain;
        this.clock = clock;
        this.managed = managed;
        this.plugged = plugged;
        this.trustBundlePem = trustBundlePem;
        this.source = source;
    }

    /** As {@link #open(Path, String, Clock, KeyPassphrase)} with keys stored unencrypted (mode 0600). */
    public static CertificateAuthority open(Path dir, String trustDomain, Clock clock) {
        return open(dir, trustDomain, clock, KeyPassphrase.none());
    }

    /**
     * Loads root and intermediates from dir (PEM files), creating the root on first use.
     *
     * @param dir         the CA's directory; created if missing
     * @param trustDomain the SPIFFE trust domain, usually {@code cluster.local}
     * @param clock       the source of "now" for validity periods
     * @param passphrase  encrypts every key written; unencrypted keys found are rewritten encrypted
     * @throws IllegalArgumentException if the trust domain is not a valid SPIFFE trust domain
     * @throws IllegalStateException    if the stored root is unusable (key missing, not matching, not decryptable,
     *                                  expired)
     */
    public static CertificateAuthority open(Path dir, String trustDomain, Clock clock, KeyPassphrase passphrase) {
        Objects.requireNonNull(dir, "dir");
        Names.trustDomain(trustDomain);
        Objects.requireNonNull(clock, "clock");
        CaDirectory files = new CaDirectory(dir, passphrase);
        ManagedPki pki = ManagedPki.open(files, trustDomain, clock.instant());
        return new CertificateAuthority(trustDomain, clock, pki, null, pki.rootPem(), files.path().toString());
    }

    /**
     * A CA plugged in from Istio's {@code cacerts} layout in {@code cacerts} ({@code ca-cert.pem},
     * {@code ca-key.pem}, {@code root-cert.pem}, {@code cert-chain.pem}): {@code ca-cert.pem} signs for every
     * cluster, chains are the leaf, {@code cert-chain.pem} and the root that signed it, and the trust bundle is
     * all of {@code root-cert.pem} (two roots while one rotates). The files are read once.
     *
     * @param passphrase decrypts {@code ca-key.pem} when it is encrypted PKCS#8
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static CertificateAuthority plugged(Path cacerts, String trustDomain, Clock clock,
                                               KeyPassphrase passphrase) {
        Objects.requireNonNull(cacerts, "cacerts");
        Names.trustDomain(trustDomain);
        PluggedCa ca = PluggedCa.load(cacerts.toAbsolutePath().normalize(), passphrase, clock.instant());
        return new CertificateAuthority(trustDomain, clock, null, ca.issuer(), ca.trustBundlePem(),
                "plugged " + cacerts.toAbsolutePath().normalize());
    }

    /**
     * Creates (and persists) the cluster's intermediate if it does not exist yet. Idempotent. With a plugged CA,
     * only checks the name: its {@code ca-cert.pem} signs for every cluster.
     *
     * @throws IllegalArgumentException if {@code cluster} is not a DNS-1123 name
     */
    public void ensureCluster(String cluster) {
        issuer(Names.cluster(cluster), clock.instant());
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
        Issuer issuer = issuer(validCluster, now);
        KeyPair keys = KeyPairs.generate();
        X509Certificate leaf = Certificates.leaf(keys.getPublic(), spiffeId, issuer.signer(), now);
        return new WorkloadCertificate(spiffeId, Pem.certificate(leaf) + issuer.chain(),
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
        Issuer issuer = issuer(validCluster, now);
        X509Certificate leaf = Certificates.leaf(csr.publicKey(), spiffeId, issuer.signer(), now, lifetime);
        List<String> chain = new ArrayList<>();
        chain.add(Pem.certificate(leaf));
        chain.addAll(issuer.chainPem());
        chain.add(issuer.rootPem());
        return new SignedChain(spiffeId, chain, leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
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
        Issuer issuer = issuer(Names.cluster(cluster), now);
        KeyPair keys = KeyPairs.generate();
        X509Certificate leaf = Certificates.server(keys.getPublic(), dnsNames, issuer.signer(), now);
        return new ServingCertificate(List.copyOf(dnsNames), Pem.certificate(leaf) + issuer.chain(),
                Pem.privateKey(keys.getPrivate()),
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
    }

    /** PEM of the roots: what proxies trust (SDS "ROOTCA"); with a plugged CA, all of its root-cert.pem. */
    public String trustBundlePem() {
        return trustBundlePem;
    }

    /** The SPIFFE trust domain every issued identity belongs to. */
    public String trustDomain() {
        return trustDomain;
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + source + ", trustDomain=" + trustDomain
                + (managed != null ? ", clusters=" + managed.clusters() : "") + "]";
    }

    private Issuer issuer(String cluster, Instant now) {
        return plugged != null ? plugged : managed.issuer(cluster, now);
    }
}
