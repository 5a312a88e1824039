package meshlog.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import meshlog.configstore.LogSafe;

/**
 * {@code POST /webhook/git}, judged from its headers and body alone (pure: every answer is tested without a socket).
 * Authenticated before anything of the body is parsed, by the forge's own scheme: GitHub's
 * {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}, Gitea's {@code X-Gitea-Signature: <hex>} (the
 * same HMAC), GitLab's {@code X-Gitlab-Token: <secret>}; each compared in constant time. A push to the followed
 * branch asks for a fetch now; anything else authentic is accepted and ignored.
 */
final class GitWebhook {

    /** The largest body read; GitHub caps its payloads at 25 MB, but a push's {@code ref} is near the start. */
    static final int MAX_BODY = 1 << 20;

    /** The answer: status, one line of text, and whether to fetch now. */
    record Verdict(int status, String message, boolean fetch) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final byte[] secret;
    private final String branchRef;

    GitWebhook(byte[] secret, String branch) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
        this.secret = secret.clone();
        this.branchRef = "refs/heads/" + branch;
    }

    /** The secret from {@code --webhook-secret-file}, stripped of surrounding white space as forges take it. */
    static GitWebhook fromFile(Path file, String branch) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("--webhook-secret-file " + file + " is empty");
        }
        return new GitWebhook(s.getBytes(StandardCharsets.UTF_8), branch);
    }

    /** @param header a request header by name, case-insensitive; null when absent */
    Verdict judge(Function<String, String> header, byte[] body) {
        String forge = authenticate(header, body);
        if (forge == null) {
            return new Verdict(401, "no valid signature: send X-Hub-Signature-256 (GitHub), X-Gitea-Signature"
                    + " (Gitea) or X-Gitlab-Token (GitLab) made with the secret of --webhook-secret-file", false);
        }
        String event = event(header);
        if (event.equals("ping")) {
            return new Verdict(200, "pong", false);
        }
        if (!event.equals("push") && !event.equals("push hook")) {
            return new Verdict(202, "ignored: " + forge + " event \"" + LogSafe.value(event, 100) + "\" is not a"
                    + " push", false);
        }
        JsonNode ref;
        try {
            ref = JSON.readTree(json(header.apply("Content-Type"), body)).path("ref");
        } catch (IOException e) {
            return new Verdict(400, "the body is not JSON: " + LogSafe.value(e.getMessage(), 200), false);
        }
        if (!ref.isTextual()) {
            return new Verdict(400, "the push payload has no \"ref\"", false);
        }
        if (!ref.asText().equals(branchRef)) {
            return new Verdict(202, "ignored: a push to " + LogSafe.value(ref.asText(), 200) + ", not "
                    + branchRef, false);
        }
        return new Verdict(202, "fetching " + branchRef + " now", true);
    }

    /**
     * The JSON of the payload: the body, or its {@code payload} field when GitHub or Gitea are set to send
     * {@code application/x-www-form-urlencoded} (GitHub's default content type). The signature covers the body as
     * sent, so this runs after it was checked.
     */
    private static byte[] json(String contentType, byte[] body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(
                "application/x-www-form-urlencoded")) {
            return body;
        }
        for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
            if (pair.startsWith("payload=")) {
                try {
                    return URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return new byte[0]; // a malformed escape: judged as a body that is not JSON
                }
            }
        }
        return new byte[0];
    }

    /** Which forge's scheme the request passed, or null when none. */
    private String authenticate(Function<String, String> header, byte[] body) {
        String github = header.apply("X-Hub-Signature-256");
        if (github != null && github.regionMatches(true, 0, "sha256=", 0, 7)
                && MessageDigest.isEqual(hmac(body), hex(github.substring(7)))) {
            return "GitHub";
        }
        String gitea = header.apply("X-Gitea-Signature");
        if (gitea != null && MessageDigest.isEqual(hmac(body), hex(gitea))) {
            return "Gitea";
        }
        String gitlab = header.apply("X-Gitlab-Token");
        // Digests of equal length, so neither the secret nor its length leaks by timing.
        if (gitlab != null && MessageDigest.isEqual(sha256(secret),
                sha256(gitlab.getBytes(StandardCharsets.UTF_8)))) {
            return "GitLab";
        }
        return null;
    }

    private static String event(Function<String, String> header) {
        for (String name : new String[] {"X-GitHub-Event", "X-Gitea-Event", "X-Gitlab-Event"}) {
            String v = header.apply(name);
            if (v != null) {
                return v.strip().toLowerCase(Locale.ROOT);
            }
        }
        return "push"; // a forge that names no event: judged by its payload's ref
    }

    byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /** Hex to bytes; text that is not hex gives bytes no HMAC equals. */
    private static byte[] hex(String s) {
        try {
            return HexFormat.of().parseHex(s.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
