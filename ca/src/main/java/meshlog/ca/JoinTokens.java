package meshlog.ca;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time join tokens, for machines outside Kubernetes to get their first certificate
 * ({@code meshlog token create}). A token is {@code mljt1.<payload>.<mac>}: the payload (base64url) is
 * {@code v1|<id>|<namespace>|<service account>|<expiry, epoch seconds>}, the MAC is HMAC-SHA256 over
 * {@code mljt1.<payload>} with the key in the CA directory ({@code join-tokens/hmac-key}, 0600). So any process
 * that can read the CA directory can check a token, and nothing about a token is stored until it is used.
 *
 * <p>"One time" is a file per redeemed token, {@code join-tokens/used/<expiry>-<id>}, created exclusively: of two
 * redemptions only one creates it. Records of expired tokens are deleted when the tokens are opened, since an
 * expired token is refused anyway. Tokens never appear in exceptions or {@code toString()}.
 */
public final class JoinTokens {

    static final String PREFIX = "mljt1.";
    /** Longer-lived tokens are standing credentials, which a join token must not become. */
    public static final Duration MAX_TTL = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final CaDirectory files;
    private final byte[] key;
    private final Clock clock;

    private JoinTokens(CaDirectory files, byte[] key, Clock clock) {
        this.files = files;
        this.key = key;
        this.clock = clock;
    }

    /** The tokens of the CA in {@code caDir}; creates the key on first use and forgets expired used tokens. */
    public static JoinTokens open(Path caDir, Clock clock) {
        CaDirectory files = new CaDirectory(caDir);
        JoinTokens tokens = new JoinTokens(files, files.joinTokenKey(), clock);
        long now = clock.instant().getEpochSecond();
        for (String used : files.usedTokens()) {
            int dash = used.indexOf('-');
            if (dash > 0 && used.substring(0, dash).chars().allMatch(Character::isDigit)
                    && Long.parseLong(used.substring(0, dash)) < now) {
                files.forgetUsed(used);
            }
        }
        return tokens;
    }

    /** Whether a bearer credential is a join token (a Kubernetes JWT starts with {@code eyJ}). */
    public static boolean isJoinToken(String bearer) {
        return bearer != null && bearer.startsWith(PREFIX);
    }

    /**
     * A new token for {@code identity}, valid for {@code ttl}.
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive or longer than {@link #MAX_TTL}
     */
    public String create(WorkloadIdentity identity, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a join token's ttl must be more than 0 and at most " + MAX_TTL.toDays()
                    + " days, not " + ttl);
        }
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        long expiry = clock.instant().plus(ttl).getEpochSecond();
        String payload = "v1|" + B64.encodeToString(id) + "|" + identity.namespace() + "|"
                + identity.serviceAccount() + "|" + expiry;
        String signed = PREFIX + B64.encodeToString(payload.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + B64.encodeToString(mac(signed));
    }

    /**
     * Checks a token's MAC, expiry and that it was not used yet, without using it.
     *
     * @throws InvalidJoinTokenException saying why (never quoting the token)
     */
    public JoinToken verify(String token) {
        int dot = token.lastIndexOf('.');
        if (!isJoinToken(token) || dot <= PREFIX.length()) {
            throw new InvalidJoinTokenException("join token is malformed");
        }
        String signed = token.substring(0, dot);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidJoinTokenException("join token is malformed");
        }
        if (!MessageDigest.isEqual(mac(signed), given)) {
            throw new InvalidJoinTokenException("join token signature does not verify: not made with this CA's key");
        }
        JoinToken parsed = parse(signed.substring(PREFIX.length()));
        Instant now = clock.instant();
        if (!now.isBefore(parsed.expiresAt())) {
            throw new InvalidJoinTokenException("join token expired at " + parsed.expiresAt());
        }
        if (files.isUsed(parsed.recordName())) {
            throw new InvalidJoinTokenException("join token was already used");
        }
        return parsed;
    }

    /**
     * Uses a verified token up: from now on {@link #verify} refuses it.
     *
     * @throws InvalidJoinTokenException if it was used meanwhile (a concurrent redemption won)
     */
    public void redeem(JoinToken token) {
        if (!files.markUsed(token.recordName())) {
            throw new InvalidJoinTokenException("join token was already used");
        }
    }

    private static JoinToken parse(String payloadB64) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(payloadB64), StandardCharsets.US_ASCII)
                    .split("\\|", -1);
            if (parts.length != 5 || !"v1".equals(parts[0]) || !parts[1].matches("[A-Za-z0-9_-]{22}")) {
                throw new InvalidJoinTokenException("join token is malformed");
            }
            return new JoinToken(parts[1], new WorkloadIdentity(parts[2], parts[3]),
                    Instant.ofEpochSecond(Long.parseLong(parts[4])));
        } catch (IllegalArgumentException e) {
            throw new InvalidJoinTokenException("join token is malformed");
        }
    }

    private byte[] mac(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot compute HmacSHA256", e);
        }
    }

    /**
     * A verified, not yet used token.
     *
     * @param id        random, names the used-token record; not a secret (the MAC is)
     * @param identity  who the token lets its holder be
     * @param expiresAt after this the token is refused
     */
    public record JoinToken(String id, WorkloadIdentity identity, Instant expiresAt) {

        String recordName() {
            return expiresAt.getEpochSecond() + "-" + id;
        }
    }

    /** A join token refused: malformed, not signed with this CA's key, expired or already used. */
    public static final class InvalidJoinTokenException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        InvalidJoinTokenException(String message) {
            super(message);
        }
    }
}
