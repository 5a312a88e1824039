package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository with no commit yet is a normal start: healthy, serving nothing, applying the first commit. */
class EmptyRepositoryTest {

    @TempDir
    Path tmp;

    @Test
    void upOnAnEmptyRepositoryIsHealthyAndAppliesTheFirstCommit() throws Exception {
        Path dir = tmp.resolve("mesh");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
             MeshlogNode node = MeshlogNode.start(new UpOptions(dir, null, List.of("east"), 1, 0, 0,
                     tmp.resolve("data"), null, Duration.ofMillis(100), "127.0.0.1"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> new NodeStatus(node).notReady().isEmpty());

            Files.writeString(dir.resolve("svc.yaml"), MeshRepo.service(7001, 7002));
            git.add().addFilepattern(".").call();
            String sha = git.commit().setMessage("first").setSign(false).call().name();
            await().atMost(Duration.ofSeconds(20)).until(() -> sha.equals(node.gitSync().lastProcessed()));
            await().atMost(Duration.ofSeconds(20)).until(() -> node.reconciler().state().resources().size() == 2);
        }
    }
}
