package meshlog.configstore.event;

import java.time.Instant;

/** Who made a git commit, when, and why: what the audit trail shows for it. */
public record CommitInfo(String sha, String author, String email, Instant time, String message) {

    public String shortSha() {
        return shortSha(sha);
    }

    /** The first 8 characters, as git prints a commit. */
    public static String shortSha(String sha) {
        return sha.length() > 8 ? sha.substring(0, 8) : sha;
    }
}
