package meshlog.agent;

import java.io.IOException;
import java.io.StringWriter;
import java.security.KeyPair;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The certificate request the agent sends: its fresh public key, signed with the private key that stays here. The
 * subject is empty and no SAN is asked for: the CA signs the identity the caller authenticated as, whatever a CSR
 * asks (Istio's CA does the same), so asking would only invite a mismatch.
 */
final class Csr {

    private Csr() {
    }

    static String pem(KeyPair keys, KeyAlgorithm algorithm) {
        try {
            var request = new JcaPKCS10CertificationRequestBuilder(new X500Name(""), keys.getPublic())
                    .build(new JcaContentSignerBuilder(algorithm.signatureAlgorithm).build(keys.getPrivate()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(request);
            }
            return out.toString();
        } catch (OperatorCreationException | IOException e) {
            // Without the cause's details beyond its type: nothing of the key belongs in a message.
            throw new IllegalStateException("cannot sign the certificate request (" + e.getClass().getSimpleName()
                    + ")");
        }
    }
}
