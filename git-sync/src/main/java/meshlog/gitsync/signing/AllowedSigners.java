package meshlog.gitsync.signing;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * An OpenSSH {@code allowed_signers} file, as {@code ssh-keygen -Y verify} and git's
 * {@code gpg.ssh.allowedSignersFile} read it (ssh-keygen(1), "ALLOWED SIGNERS"): one signer a line,
 * {@code PRINCIPALS [OPTIONS] KEYTYPE BASE64-KEY [COMMENT]}, with the options {@code namespaces="git,..."},
 * {@code valid-after=} and {@code valid-before=}. {@code cert-authority} (keys certified by a CA) is refused at start:
 * meshlog checks the signers' own keys only.
 */
final class AllowedSigners {

    /** One line: who may sign, for which namespaces (null: any), when, with which key. */
    record Signer(int line, String principals, String namespaces, Instant validAfter, Instant validBefore,
                  byte[] key, String fingerprint) {

        boolean allowsNamespace(String namespace) {
            return namespaces == null || matchesPatternList(namespace, namespaces);
        }
    }

    private final List<Signer> signers;

    private AllowedSigners(List<Signer> signers) {
        this.signers = List.copyOf(signers);
    }

    static AllowedSigners read(AllowListFile file) {
        List<Signer> out = new ArrayList<>();
        List<String> lines = file.lines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(parse(file, i + 1, line));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file.path() + " lists no signer (lines: PRINCIPALS [OPTIONS] KEYTYPE"
                    + " BASE64-KEY, as ssh-keygen -Y verify reads them)");
        }
        return new AllowedSigners(out);
    }

    /** Every line naming this key (the SSH wire encoding of a public key). */
    List<Signer> withKey(byte[] key) {
        return signers.stream().filter(s -> Arrays.equals(s.key(), key)).toList();
    }

    List<Signer> all() {
        return signers;
    }

    private static Signer parse(AllowListFile file, int n, String line) {
        List<String> tokens = tokens(line);
        int i = 1;
        String options = tokens.size() > 1 && !isKeyType(tokens.get(1)) ? tokens.get(i++) : null;
        if (tokens.size() < i + 2 || !isKeyType(tokens.get(i))) {
            throw file.error(n, "expected PRINCIPALS [OPTIONS] KEYTYPE BASE64-KEY [COMMENT] (KEYTYPE like"
                    + " ssh-ed25519)");
        }
        String principals = dequote(tokens.get(0));
        String type = tokens.get(i);
        byte[] key;
        try {
            key = Base64.getDecoder().decode(tokens.get(i + 1));
        } catch (IllegalArgumentException e) {
            throw file.error(n, "the " + type + " key is not valid base64");
        }
        if (!type.equals(SshSignature.keyType(key))) {
            throw file.error(n, "the key is not a " + type + " key");
        }
        try {
            OpenSSHPublicKeyUtil.parsePublicKey(key);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw file.error(n, "unsupported or malformed " + type + " key (supported: ssh-ed25519, ssh-rsa,"
                    + " ecdsa-sha2-nistp256/384/521)");
        }
        String namespaces = null;
        Instant after = null;
        Instant before = null;
        for (String option : options == null ? List.<String>of() : splitOutsideQuotes(options, ',')) {
            int eq = option.indexOf('=');
            String name = (eq < 0 ? option : option.substring(0, eq)).toLowerCase(java.util.Locale.ROOT);
            String value = eq < 0 ? null : dequote(option.substring(eq + 1));
            switch (name) {
                case "namespaces" -> namespaces = required(file, n, name, value);
                case "valid-after" -> after = time(file, n, name, required(file, n, name, value));
                case "valid-before" -> before = time(file, n, name, required(file, n, name, value));
                case "cert-authority" -> throw file.error(n, "cert-authority is not supported: list the signers'"
                        + " own keys");
                default -> throw file.error(n, "unknown option " + name + " (known: namespaces, valid-after,"
                        + " valid-before)");
            }
        }
        return new Signer(n, principals, namespaces, after, before, key, SshSignature.fingerprint(key));
    }

    private static String required(AllowListFile file, int n, String name, String value) {
        if (value == null || value.isEmpty()) {
            throw file.error(n, name + " needs a value, like " + name + "=\"...\"");
        }
        return value;
    }

    /** ssh-keygen's {@code YYYYMMDD[HHMM[SS]]}, in local time unless it ends with {@code Z}. */
    private static Instant time(AllowListFile file, int n, String name, String value) {
        boolean utc = value.endsWith("Z") || value.endsWith("z");
        String digits = utc ? value.substring(0, value.length() - 1) : value;
        ZoneId zone = utc ? ZoneOffset.UTC : ZoneId.systemDefault();
        int length = digits.length();
        try {
            if ((length == 8 || length == 12 || length == 14) && digits.chars().allMatch(Character::isDigit)) {
                String full = digits + "000000".substring(length - 8);
                return LocalDateTime.parse(full, DateTimeFormatter.ofPattern("uuuuMMddHHmmss")).atZone(zone)
                        .toInstant();
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw file.error(n, name + " must be YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, optionally ending in Z"
                + " (UTC), got \"" + value + "\"");
    }

    private static boolean isKeyType(String token) {
        return token.startsWith("ssh-") || token.startsWith("ecdsa-sha2-") || token.startsWith("sk-");
    }

    /** Whitespace-separated, a double-quoted run (also inside a token, as in {@code namespaces="a b"}) kept whole. */
    static List<String> tokens(String line) {
        return splitOutsideQuotes(line.strip(), ' ').stream().filter(t -> !t.isEmpty()).toList();
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : s.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (!quoted && (c == separator || (separator == ' ' && c == '\t'))) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }

    private static String dequote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /**
     * OpenSSH's pattern-list: comma-separated {@code *}/{@code ?} patterns; a match of a {@code !}-negated one
     * refuses whatever the others say.
     */
    static boolean matchesPatternList(String value, String list) {
        boolean matched = false;
        for (String p : list.split(",")) {
            String pattern = p.strip();
            boolean negated = pattern.startsWith("!");
            if (glob(negated ? pattern.substring(1) : pattern).matcher(value).matches()) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static java.util.regex.Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return java.util.regex.Pattern.compile(re.toString());
    }
}
