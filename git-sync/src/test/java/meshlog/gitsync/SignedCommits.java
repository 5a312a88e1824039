package meshlog.gitsync;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/**
 * Commits on {@code main} signed by whatever signs their payload (a PGP key made in the test, {@code ssh-keygen -Y
 * sign}), written object by object so a test can also sign one thing and commit another.
 */
final class SignedCommits {

    /** Signs a commit's payload (the commit object without its signature), armored. */
    interface Signer {
        String sign(byte[] payload) throws Exception;
    }

    static final PersonIdent ALICE = new PersonIdent("Alice", "alice@example.com",
            Instant.parse("2026-12-07T09:00:00Z"), ZoneOffset.UTC);

    private final Git git;
    private final Path dir;

    SignedCommits(Git git, Path dir) {
        this.git = git;
        this.dir = dir;
    }

    /** Commits {@code file} with {@code content}, signed by {@code signer} (null: unsigned). */
    String commit(String file, String content, String message, Signer signer) throws Exception {
        return commit(file, content, content, message, signer);
    }

    /**
     * Signs the commit {@code file} with {@code signedContent} would be, and commits {@code file} with
     * {@code content} under that signature: a commit changed after it was signed.
     */
    String commit(String file, String signedContent, String content, String message, Signer signer)
            throws Exception {
        Repository repo = git.getRepository();
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            CommitBuilder c = commitOf(file, signedContent, message, inserter);
            if (signer != null) {
                String signature = signer.sign(c.build());
                c = commitOf(file, content, message, inserter);
                c.setGpgSignature(new GpgSignature(signature.getBytes(StandardCharsets.US_ASCII)));
            }
            ObjectId id = inserter.insert(Constants.OBJ_COMMIT, c.build());
            inserter.flush();
            RefUpdate ru = repo.updateRef(Constants.R_HEADS + "main");
            ru.setNewObjectId(id);
            ru.setForceUpdate(true);
            ru.update();
            return id.name();
        }
    }

    private CommitBuilder commitOf(String file, String content, String message, ObjectInserter inserter)
            throws Exception {
        Files.writeString(dir.resolve(file), content);
        git.add().addFilepattern(file).call();
        CommitBuilder c = new CommitBuilder();
        c.setTreeId(git.getRepository().readDirCache().writeTree(inserter));
        ObjectId head = git.getRepository().resolve(Constants.R_HEADS + "main");
        if (head != null) {
            c.setParentId(head);
        }
        c.setAuthor(ALICE);
        c.setCommitter(ALICE);
        c.setMessage(message);
        return c;
    }

    /** {@code git commit -S} by git itself, signing with the SSH key as {@code gpg.format=ssh} does. */
    String gitCommitSsh(String file, String content, String message, SshTestKey key) throws Exception {
        Files.writeString(dir.resolve(file), content);
        Cli.run(dir, "git", "add", file);
        Cli.run(dir, "git", "-c", "gpg.format=ssh", "-c", "user.signingkey=" + key.privateKey(), "-c",
                "user.name=Alice", "-c", "user.email=alice@example.com", "commit", "-q", "-S", "-m", message);
        return Cli.run(dir, "git", "rev-parse", "HEAD").strip();
    }
}
