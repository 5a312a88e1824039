package meshlog.ca;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * meshlog's own PKI in a {@link CaDirectory}: one self-signed root (10 years) and one intermediate per cluster
 * (1 year), each replaced automatically once it has less than one workload lifetime (24 h) left.
 */
final class ManagedPki {

    private final CaDirectory files;
    private final String trustDomain;
    private final SigningIdentity root;
    private final String rootPem;
    private final ConcurrentMap<String, SigningIdentity> intermediates = new ConcurrentHashMap<>();
    private final Object creationLock = new Object();

    private ManagedPki(CaDirectory files, String trustDomain, SigningIdentity root) {
        this.files = files;
        this.trustDomain = trustDomain;
        this.root = root;
        this.rootPem = Pem.certificate(root.certificate());
    }

    /** Loads root and intermediates, creating the root on first use. */
    static ManagedPki open(CaDirectory files, String trustDomain, Instant now) {
        SigningIdentity root = files.loadRoot()
                .map(stored -> checkRoot(files, stored, now))
                .orElseGet(() -> {
                    SigningIdentity created = Certificates.root(KeyPairs.generate(), trustDomain, now);
                    files.saveRoot(created);
                    return created;
                });
        ManagedPki pki = new ManagedPki(files, trustDomain, root);
        for (String cluster : files.clusters()) {
            // Anything unusable (half-written rotation, signed by another root, expiring) is replaced on demand.
            files.loadCluster(cluster).filter(stored -> pki.usable(stored, now))
                    .ifPresent(stored -> pki.intermediates.put(cluster, stored));
        }
        return pki;
    }

    String rootPem() {
        return rootPem;
    }

    Set<String> clusters() {
        return intermediates.keySet();
    }

    /** The cluster's intermediate, created (and persisted) when missing or too close to its end. */
    Issuer issuer(String cluster, Instant now) {
        SigningIdentity intermediate = intermediate(cluster, now);
        return new Issuer(intermediate, List.of(Pem.certificate(intermediate.certificate())), rootPem);
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
