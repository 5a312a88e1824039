package meshlog.ops;

import meshlog.ca.CertificateAuthority;
import meshlog.ca.WorkloadCertificate;
import meshlog.xds.Identity;
import meshlog.xds.IdentityIssuer;

/** Lets distributors answer SDS with certificates of the cluster's intermediate CA. */
final class CaIdentityIssuer implements IdentityIssuer {

    private final CertificateAuthority ca;

    CaIdentityIssuer(CertificateAuthority ca) {
        this.ca = ca;
    }

    @Override
    public Identity issue(String cluster, String namespace, String serviceAccount) {
        WorkloadCertificate c = ca.issue(cluster, namespace, serviceAccount);
        return new Identity(c.certificateChainPem(), c.privateKeyPem(), c.renewAt());
    }

    @Override
    public String trustBundlePem() {
        return ca.trustBundlePem();
    }
}
