package meshlog.gitsync.signing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.util.encoders.Hex;

/**
 * The OpenPGP public keys commits may be signed with: one or more ASCII-armored key blocks, as
 * {@code gpg --export --armor KEYID} prints them, concatenated in one file. A key's subkeys sign too, as gpg lets them.
 */
final class PgpKeys {

    static final String BEGIN_KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
    static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";

    /** A key that signed: the subkey (or the primary key itself) and the primary key naming its owner. */
    record Signer(PGPPublicKey key, PGPPublicKey primary) {

        /** The primary key's fingerprint, as gpg prints it ("which key"), and the subkey's when a subkey signed. */
        String describe() {
            String who = primary.getUserIDs().hasNext() ? " (" + primary.getUserIDs().next() + ")" : "";
            return fingerprint(primary) + who + (key == primary ? "" : ", subkey " + fingerprint(key));
        }
    }

    private final List<PGPPublicKeyRing> rings;

    private PgpKeys(List<PGPPublicKeyRing> rings) {
        this.rings = List.copyOf(rings);
    }

    static PgpKeys read(AllowListFile file) {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        List<String> lines = file.lines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
                throw file.error(i + 1, "a private key: give public keys only (gpg --export --armor KEYID)");
            }
            if (!line.equals(BEGIN_KEY)) {
                throw file.error(i + 1, "expected " + BEGIN_KEY + " (gpg --export --armor KEYID prints one)");
            }
            int begin = i;
            while (i < lines.size() && !lines.get(i).strip().startsWith("-----END PGP PUBLIC KEY BLOCK-----")) {
                i++;
            }
            if (i == lines.size()) {
                throw file.error(begin + 1, "the key block has no -----END PGP PUBLIC KEY BLOCK----- line");
            }
            rings.addAll(block(file, begin + 1, String.join("\n", lines.subList(begin, i + 1)) + "\n"));
        }
        if (rings.isEmpty()) {
            throw new IllegalArgumentException(file.path() + " holds no public key (gpg --export --armor KEYID"
                    + " prints one)");
        }
        return new PgpKeys(rings);
    }

    private static List<PGPPublicKeyRing> block(AllowListFile file, int line, String armored) {
        try (ArmoredInputStream in = ArmoredInputStream.builder().setParseForHeaders(true)
                .build(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)))) {
            List<PGPPublicKeyRing> out = new ArrayList<>();
            new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator()).forEach(out::add);
            if (out.isEmpty()) {
                throw file.error(line, "the key block holds no public key");
            }
            return out;
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith(file.path() + ":")) {
                throw iae;
            }
            throw file.error(line, "the key block cannot be read as OpenPGP public keys (" + e.getClass()
                    .getSimpleName() + ")");
        }
    }

    /** Every primary key, for the start-up log. */
    List<String> fingerprints() {
        return rings.stream().map(r -> new Signer(r.getPublicKey(), r.getPublicKey()).describe()).toList();
    }

    /** The first signature of an armored block; IllegalArgumentException when it is none. */
    static PGPSignature signature(String armored) {
        try (ArmoredInputStream in = ArmoredInputStream.builder().build(
                new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)))) {
            Object o = new BcPGPObjectFactory(in).nextObject();
            if (o instanceof PGPSignatureList list && !list.isEmpty()) {
                return list.get(0);
            }
        } catch (IOException | RuntimeException e) {
            // reported below
        }
        throw new IllegalArgumentException("the PGP signature cannot be read");
    }

    /** The allowed key (primary or subkey) that made {@code sig}, or null. */
    Signer signerOf(PGPSignature sig) {
        for (PGPPublicKeyRing ring : rings) {
            for (Iterator<PGPPublicKey> keys = ring.getPublicKeys(); keys.hasNext(); ) {
                PGPPublicKey key = keys.next();
                if (sig.hasKeyIdentifier(key.getKeyIdentifier())) {
                    return new Signer(key, ring.getPublicKey());
                }
            }
        }
        return null;
    }

    /** Whether {@code key} made {@code sig} over {@code payload}. */
    static boolean verifies(PGPSignature sig, PGPPublicKey key, byte[] payload) {
        try {
            sig.init(new BcPGPContentVerifierBuilderProvider(), key);
            sig.update(payload);
            return sig.verify();
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }

    /** When the key expires (its self-signature's key expiration), or null when it does not. */
    static Instant expiry(PGPPublicKey key) {
        long seconds = key.getValidSeconds();
        return seconds <= 0 ? null : key.getCreationTime().toInstant().plusSeconds(seconds);
    }

    static String fingerprint(PGPPublicKey key) {
        return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    /** How a signature names its key when that key is unknown: the issuer fingerprint, else the 64-bit key id. */
    static String issuer(PGPSignature sig) {
        return sig.getKeyIdentifiers().stream().filter(k -> k.getFingerprint() != null).findFirst()
                .map(k -> Hex.toHexString(k.getFingerprint()).toUpperCase(Locale.ROOT))
                .orElse(String.format(Locale.ROOT, "key id %016X", sig.getKeyID()));
    }
}
