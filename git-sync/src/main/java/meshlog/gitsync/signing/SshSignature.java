package meshlog.gitsync.signing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * An OpenSSH signature ({@code ssh-keygen -Y sign}, what git writes with {@code gpg.format=ssh}), in the format of
 * OpenSSH's PROTOCOL.sshsig: the signer's public key, the namespace it signed for, and a signature over
 * {@code "SSHSIG" || namespace || reserved || hash algorithm || H(message)}.
 */
record SshSignature(byte[] key, String namespace, String hashAlgorithm, String algorithm, byte[] signature,
                    byte[] signedPrefix) {

    static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    private static final String END = "-----END SSH SIGNATURE-----";
    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);

    /** The signature of an armored block; IllegalArgumentException saying what is wrong with it. */
    static SshSignature parse(String armored) {
        String body = armored.strip();
        if (!body.startsWith(BEGIN) || !body.endsWith(END)) {
            throw new IllegalArgumentException("not an armored SSH signature");
        }
        byte[] blob;
        try {
            blob = Base64.getMimeDecoder().decode(body.substring(BEGIN.length(), body.length() - END.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the SSH signature is not valid base64");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(blob);
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC) || in.getInt() != 1) {
                throw new IllegalArgumentException("not an SSHSIG version 1 signature");
            }
            byte[] key = string(in);
            String namespace = utf8(string(in));
            byte[] reserved = string(in);
            String hash = utf8(string(in));
            ByteBuffer sig = ByteBuffer.wrap(string(in));
            String algorithm = utf8(string(sig));
            byte[] signature = string(sig);
            ByteArrayOutputStream prefix = new ByteArrayOutputStream();
            prefix.writeBytes(MAGIC);
            writeString(prefix, namespace.getBytes(StandardCharsets.UTF_8));
            writeString(prefix, reserved);
            writeString(prefix, hash.getBytes(StandardCharsets.UTF_8));
            return new SshSignature(key, namespace, hash, algorithm, signature, prefix.toByteArray());
        } catch (BufferUnderflowException | IllegalStateException e) {
            throw new IllegalArgumentException("the SSH signature is truncated or malformed");
        }
    }

    /** Whether the signature is the key's over {@code message}: false for a wrong one, never an exception. */
    boolean verifies(byte[] message) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance(switch (hashAlgorithm) {
                case "sha512" -> "SHA-512";
                case "sha256" -> "SHA-256";
                default -> throw new NoSuchAlgorithmException(hashAlgorithm);
            }).digest(message);
        } catch (NoSuchAlgorithmException e) {
            return false;
        }
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.writeBytes(signedPrefix);
        writeString(signed, digest);
        byte[] data = signed.toByteArray();
        try {
            return verify(OpenSSHPublicKeyUtil.parsePublicKey(key), data);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean verify(AsymmetricKeyParameter publicKey, byte[] data) {
        if (publicKey instanceof Ed25519PublicKeyParameters && algorithm.equals("ssh-ed25519")) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(false, publicKey);
            s.update(data, 0, data.length);
            return s.verifySignature(signature);
        } else if (publicKey instanceof RSAKeyParameters && algorithm.startsWith("rsa-sha2-")) {
            // ssh-rsa (SHA-1) signatures are refused, as ssh-keygen -Y verify refuses them.
            Digest d = algorithm.equals("rsa-sha2-512") ? new SHA512Digest()
                    : algorithm.equals("rsa-sha2-256") ? new SHA256Digest() : null;
            if (d == null) {
                return false;
            }
            RSADigestSigner s = new RSADigestSigner(d);
            s.init(false, publicKey);
            s.update(data, 0, data.length);
            return s.verifySignature(signature);
        } else if (publicKey instanceof ECPublicKeyParameters && algorithm.equals(keyType(key))) {
            Digest d = algorithm.endsWith("nistp256") ? new SHA256Digest()
                    : algorithm.endsWith("nistp384") ? new SHA384Digest() : new SHA512Digest();
            byte[] hash = new byte[d.getDigestSize()];
            d.update(data, 0, data.length);
            d.doFinal(hash, 0);
            ByteBuffer rs = ByteBuffer.wrap(signature);
            ECDSASigner s = new ECDSASigner();
            s.init(false, publicKey);
            return s.verifySignature(hash, new BigInteger(string(rs)), new BigInteger(string(rs)));
        }
        return false;
    }

    /** The key type a public key's wire encoding starts with ({@code ssh-ed25519}), or "" when it has none. */
    static String keyType(byte[] key) {
        try {
            return utf8(string(ByteBuffer.wrap(key)));
        } catch (BufferUnderflowException | IllegalStateException e) {
            return "";
        }
    }

    /** As {@code ssh-keygen -l} prints it: {@code SHA256:} and the unpadded base64 of the key's SHA-256. */
    static String fingerprint(byte[] key) {
        try {
            return "SHA256:" + Base64.getEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] string(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalStateException("length " + n + " past the end");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static void writeString(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
        out.writeBytes(b);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
