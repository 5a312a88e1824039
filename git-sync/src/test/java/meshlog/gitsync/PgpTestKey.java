package meshlog.gitsync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.bouncycastle.util.encoders.Hex;

/** An OpenPGP key made in the test (RSA 2048, as gpg's classic default), signing as gpg does for git. */
final class PgpTestKey {

    private final PGPKeyPair pair;
    private final PGPPublicKeyRing ring;

    private PgpTestKey(PGPKeyPair pair, PGPPublicKeyRing ring) {
        this.pair = pair;
        this.ring = ring;
    }

    /** @param validSeconds 0: never expires */
    static PgpTestKey generate(String userId, Date created, long validSeconds) throws PGPException {
        RSAKeyPairGenerator rsa = new RSAKeyPairGenerator();
        rsa.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), 2048, 80));
        PGPKeyPair pair = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), created);
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
        if (validSeconds > 0) {
            hashed.setKeyExpirationTime(false, validSeconds);
        }
        PGPKeyRingGenerator gen = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId,
                new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), hashed.generate(), null,
                signer(), null);
        return new PgpTestKey(pair, gen.generatePublicKeyRing());
    }

    private static BcPGPContentSignerBuilder signer() {
        return new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256);
    }

    String fingerprint() {
        return Hex.toHexString(pair.getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT);
    }

    /** This key with a key revocation signature, as {@code gpg --gen-revoke} and an import make it. */
    PgpTestKey revoked() throws PGPException {
        PGPSignatureGenerator g = new PGPSignatureGenerator(signer(), pair.getPublicKey());
        g.init(PGPSignature.KEY_REVOCATION, pair.getPrivateKey());
        PGPPublicKey primary = ring.getPublicKey();
        PGPPublicKey withRevocation = PGPPublicKey.addCertification(primary, g.generateCertification(primary));
        return new PgpTestKey(pair, PGPPublicKeyRing.insertPublicKey(ring, withRevocation));
    }

    /** {@code gpg --export --armor}. */
    String armoredPublicKey() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
            ring.encode(armor);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** A detached binary signature over {@code payload}, armored: what {@code gpg -bsau KEY} gives git. */
    String sign(byte[] payload) throws PGPException, IOException {
        PGPSignatureGenerator g = new PGPSignatureGenerator(signer(), pair.getPublicKey());
        g.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, new Date());
        hashed.setIssuerFingerprint(false, pair.getPublicKey());
        g.setHashedSubpackets(hashed.generate());
        g.update(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().setVersion(null).build(out)) {
            g.generate().encode(armor);
        }
        return out.toString(StandardCharsets.US_ASCII).replace("\r\n", "\n");
    }
}
