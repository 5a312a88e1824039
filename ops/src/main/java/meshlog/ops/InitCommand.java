package meshlog.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * {@code meshlog init DIR}: a new config repository with a working example (a gRPC service with two versions split
 * 80/20), committed, so {@code meshlog up --repo DIR} has something to serve at once.
 */
final class InitCommand {

    static final String[] EXAMPLE_FILES = {"echo-service.yaml", "echo-routing.yaml"};

    private InitCommand() {
    }

    static int run(Path dir, PrintStream out, PrintStream err) throws IOException {
        if (Files.isDirectory(dir.resolve(".git"))) {
            out.println(dir + " is already a git repository; left as it is");
            return 0;
        }
        if (Files.exists(dir) && (!Files.isDirectory(dir) || Files.list(dir).findAny().isPresent())) {
            err.println("meshlog: " + dir + " exists and is not empty; choose a new directory");
            return 2;
        }
        Files.createDirectories(dir);
        for (String name : EXAMPLE_FILES) {
            try (InputStream in = InitCommand.class.getResourceAsStream("/example/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("Example mesh config from meshlog init")
                    .setAuthor(new PersonIdent("meshlog init", "meshlog@localhost"))
                    .setCommitter(new PersonIdent("meshlog init", "meshlog@localhost"))
                    .setSign(false).call();
        } catch (GitAPIException e) {
            err.println("meshlog: cannot create a git repository in " + dir + ": " + e.getMessage());
            return 2;
        }
        out.println("created " + dir + " (branch main) with " + String.join(", ", EXAMPLE_FILES));
        out.println("next: bin/meshlog up --repo " + dir);
        return 0;
    }
}
