package meshlog.gitsync.signing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import meshlog.configstore.event.CommitInfo;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gitsync.signing.AllowedSigners.Signer;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * {@code --require-signed}: a commit is applied only when it carries a good signature by an allowed key, an OpenPGP
 * key of {@code --allowed-pgp-keys} or an SSH key of {@code --allowed-signers} (for namespace {@code git}, as git
 * signs). Anything else is refused with one error that names the commit, the signer and why. Both files are read
 * once, when this is loaded; what they hold is logged as fingerprints and principals only.
 */
public final class CommitSignatures {

    public static final String NOT_ALLOWED = "GS0011";
    /** A commit object (headers, signature, message) larger than this is refused unread: 1 MiB. */
    public static final int MAX_COMMIT_BYTES = 1 << 20;
    private static final String GIT_NAMESPACE = "git";

    private final PgpKeys pgp;
    private final AllowedSigners ssh;
    private final Clock clock;

    private CommitSignatures(PgpKeys pgp, AllowedSigners ssh, Clock clock) {
        this.pgp = pgp;
        this.ssh = ssh;
        this.clock = clock;
    }

    /**
     * Reads the allow-lists (either may be null, not both).
     *
     * @throws IllegalArgumentException naming the file and line of a mistake
     */
    public static CommitSignatures load(Path pgpKeys, Path allowedSigners, Clock clock) {
        if (pgpKeys == null && allowedSigners == null) {
            throw new IllegalArgumentException("--require-signed needs --allowed-pgp-keys FILE (armored public keys)"
                    + " or --allowed-signers FILE (an OpenSSH allowed_signers file), or both");
        }
        return new CommitSignatures(pgpKeys == null ? null : PgpKeys.read(AllowListFile.read(pgpKeys)),
                allowedSigners == null ? null : AllowedSigners.read(AllowListFile.read(allowedSigners)), clock);
    }

    /** What is allowed, for the start-up log: fingerprints and principals, never keys. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (pgp != null) {
            parts.add("PGP keys " + String.join("; ", pgp.fingerprints()));
        }
        if (ssh != null) {
            parts.add("SSH signers " + ssh.all().stream().map(s -> s.principals() + " " + s.fingerprint())
                    .collect(Collectors.joining("; ")));
        }
        return String.join(", ", parts);
    }

    /**
     * Why the commit must not be applied, or null when it is signed by an allowed key.
     *
     * @param raw the commit object as git stores it (headers, signature and message); null when it is larger than
     *     {@link #MAX_COMMIT_BYTES}
     */
    public Diagnostic refusal(String sha, byte[] raw) {
        String commit = "commit " + CommitInfo.shortSha(sha);
        String reason = raw == null || raw.length > MAX_COMMIT_BYTES
                ? commit + " is larger than " + (MAX_COMMIT_BYTES >> 20) + " MiB (its message, most likely), more"
                        + " than meshlog reads to check a signature"
                : reason(commit, SignedPayload.of(raw));
        return reason == null ? null : new Diagnostic(NOT_ALLOWED, Diagnostic.Severity.ERROR, "", 1, 1, "", "",
                reason + "; --require-signed applies only commits signed by a key of " + lists());
    }

    private String reason(String commit, SignedPayload p) {
        if (p.signature() == null) {
            return commit + " is not signed";
        }
        String armored = p.signature().strip();
        if (armored.startsWith(PgpKeys.BEGIN_SIGNATURE)) {
            return pgp == null ? commit + " has a PGP signature, and no --allowed-pgp-keys is given"
                    : pgp(commit, armored, p.payload());
        }
        if (armored.startsWith(SshSignature.BEGIN)) {
            return ssh == null ? commit + " has an SSH signature, and no --allowed-signers is given"
                    : ssh(commit, armored, p);
        }
        return commit + " has a signature that is neither PGP nor SSH (X.509?), which meshlog cannot check";
    }

    private String pgp(String commit, String armored, byte[] payload) {
        PGPSignature sig;
        try {
            sig = PgpKeys.signature(armored);
        } catch (IllegalArgumentException e) {
            return commit + " has a PGP signature that cannot be read";
        }
        PgpKeys.Signer who = pgp.signerOf(sig);
        if (who == null) {
            return commit + " is signed by PGP key " + PgpKeys.issuer(sig) + ", which is not in --allowed-pgp-keys";
        }
        if (!PgpKeys.verifies(sig, who.key(), payload)) {
            return commit + " has a bad PGP signature by " + who.describe()
                    + ": the commit is not what was signed (changed after signing?)";
        }
        if (who.primary().hasRevocation() || who.key().hasRevocation()) {
            return commit + " is signed by PGP key " + who.describe() + ", which is revoked";
        }
        Instant now = clock.instant();
        Instant expired = Stream.of(PgpKeys.expiry(who.primary()), PgpKeys.expiry(who.key()))
                .filter(e -> e != null && !now.isBefore(e)).min(Instant::compareTo).orElse(null);
        if (expired != null) {
            return commit + " is signed by PGP key " + who.describe() + ", which expired at " + expired;
        }
        return null;
    }

    private String ssh(String commit, String armored, SignedPayload p) {
        SshSignature sig;
        try {
            sig = SshSignature.parse(armored);
        } catch (IllegalArgumentException e) {
            return commit + " has an SSH signature that cannot be read: " + e.getMessage();
        }
        String key = SshSignature.keyType(sig.key()) + " " + SshSignature.fingerprint(sig.key());
        List<Signer> lines = ssh.withKey(sig.key());
        if (lines.isEmpty()) {
            return commit + " is signed by SSH key " + key + ", which is not in --allowed-signers";
        }
        String who = lines.stream().map(Signer::principals).distinct().collect(Collectors.joining(",")) + " ("
                + key + ")";
        if (!sig.verifies(p.payload())) {
            return commit + " has a bad SSH signature by " + who
                    + ": the commit is not what was signed (changed after signing?)";
        }
        if (!GIT_NAMESPACE.equals(sig.namespace())) {
            return commit + " has an SSH signature by " + who + " for namespace \"" + sig.namespace()
                    + "\", not \"git\" (git signs commits for namespace git: ssh-keygen -Y sign -n git)";
        }
        List<Signer> forGit = lines.stream().filter(s -> s.allowsNamespace(GIT_NAMESPACE)).toList();
        if (forGit.isEmpty()) {
            return commit + " is signed by " + who + ", whose allowed_signers line " + lines.get(0).line()
                    + " allows namespaces=\"" + lines.get(0).namespaces() + "\", not git";
        }
        Instant at = p.committerTime();
        if (forGit.stream().noneMatch(s -> at != null && (s.validAfter() == null || !at.isBefore(s.validAfter()))
                && (s.validBefore() == null || at.isBefore(s.validBefore())))) {
            Signer s = forGit.get(0);
            return commit + " is signed by " + who + ", whose key (allowed_signers line " + s.line() + ") is valid"
                    + (s.validAfter() == null ? "" : " from " + s.validAfter())
                    + (s.validBefore() == null ? "" : " until " + s.validBefore()) + ", and the commit's committer"
                    + " time is " + (at == null ? "unreadable" : at.toString());
        }
        return null;
    }

    private String lists() {
        return pgp != null && ssh != null ? "--allowed-pgp-keys or --allowed-signers"
                : pgp != null ? "--allowed-pgp-keys" : "--allowed-signers";
    }
}
