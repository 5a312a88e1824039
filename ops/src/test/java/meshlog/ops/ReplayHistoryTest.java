package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.PinnedResource;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.RevisionPinned;
import meshlog.configstore.event.ConfigEvent.RevisionUnpinned;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.state.ConfigState;
import meshlog.gitsync.GitSync;
import meshlog.gitsync.git.ConfigRepository;
import meshlog.gitsync.kafka.KafkaCommitLog;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import meshlog.ops.bench.ReplayHistory;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay benchmark's generator writes what git-sync writes: a short history of the generator is committed to a
 * real git repository that git-sync follows through a real broker, and the same history is written by the
 * generator (commits batched into shared transactions); both logs hold the same events, record by record, up to the
 * commit ids git chose, and fold to the generator's own idea of what is applied.
 */
class ReplayHistoryTest {

    @TempDir
    Path dir;

    @Test
    void generatedHistoryIsWhatGitSyncRecordsForTheSameCommits() throws Exception {
        List<ReplayHistory.Step> steps = new ArrayList<>();
        ReplayHistory history = new ReplayHistory("via-git", 4, 7, 40, 5);
        while (history.commits() < 120) {
            steps.add(history.next());
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            String bootstrap = broker.bootstrapServers();
            Topics.ensure(bootstrap);
            Map<String, String> realSha = new HashMap<>();
            Path work = dir.resolve("repo");
            try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call();
                 ConfigRepository repo = ConfigRepository.open(work.toFile(), null);
                 KafkaCommitLog log = new KafkaCommitLog(bootstrap, "via-git");
                 KafkaEventLog pins = KafkaEventLog.pinWriter(bootstrap, "via-git")) {
                GitSync sync = new GitSync("via-git", repo, log);
                for (ReplayHistory.Step s : steps) {
                    if (s.pinWriter()) {
                        pins.appendCommit(s.events().stream().map(e -> withCommit(e, realSha)).toList());
                        continue;
                    }
                    for (Map.Entry<String, String> f : s.files().entrySet()) {
                        Path file = work.resolve(f.getKey());
                        if (f.getValue() == null) {
                            Files.deleteIfExists(file);
                        } else {
                            Files.createDirectories(file.getParent());
                            Files.writeString(file, f.getValue());
                        }
                    }
                    git.add().addFilepattern(".").call();
                    git.add().addFilepattern(".").setUpdate(true).call();
                    String sha = git.commit().setMessage(s.info().message()).setAllowEmpty(true)
                            .setAuthor(new PersonIdent("Dev", "dev@example.com")).setSign(false).call().name();
                    realSha.put(s.info().sha(), sha);
                    assertThat(sync.pollOnce()).as("commit %s recorded", s.info().message()).isEqualTo(1);
                }
            }
            try (KafkaEventLog gen = new KafkaEventLog(bootstrap, "generated");
                 KafkaEventLog pins = KafkaEventLog.pinWriter(bootstrap, "generated")) {
                ReplayHistory.write(gen, pins, steps.stream().map(s -> retarget(s, "generated")).toList(), 16);
            }
            List<ConfigEvent> viaGit = events(bootstrap, "via-git");
            List<ConfigEvent> generated = events(bootstrap, "generated");

            assertThat(normalized(generated)).isEqualTo(normalized(viaGit));
            assertThat(generated).hasSize(steps.stream().mapToInt(s -> s.events().size()).sum());
            // The history exercises every kind of step the benchmark's does.
            assertThat(viaGit).anyMatch(e -> e instanceof CommitRejected).anyMatch(e -> e instanceof ResourceDeleted)
                    .anyMatch(e -> e instanceof RevisionPinned).anyMatch(e -> e instanceof RevisionUnpinned)
                    .anyMatch(e -> e instanceof CommitApplied a && a.changed().isEmpty()) // a rename
                    .anyMatch(e -> e instanceof CommitApplied a && a.changed().size() >= 3);
            ConfigState folded = ConfigState.replay(generated);
            assertThat(folded.documents()).isEqualTo(history.appliedDocuments());
            assertThat(folded.unreadable()).isEmpty();
            assertThat(folded.pin() == null ? null : folded.pin().commit()).isEqualTo(history.pinned());
        }
    }

    private static List<ConfigEvent> events(String bootstrap, String repo) {
        return KafkaEventLog.readAll(bootstrap, repo).stream().map(LoggedEvent::event).toList();
    }

    /** The same step for another repository id (the record key). */
    private static ReplayHistory.Step retarget(ReplayHistory.Step s, String repo) {
        return new ReplayHistory.Step(s.info(), s.files(), s.events().stream()
                .map(e -> (ConfigEvent) EventCodec.decode(rewrite(EventCodec.encode(e), "repo", repo))).toList(),
                s.pinWriter());
    }

    /** A pin of the generator's commit id, made to name the commit git chose instead. */
    private static ConfigEvent withCommit(ConfigEvent e, Map<String, String> realSha) {
        String commit = realSha.get(e.commit());
        if (e instanceof PinnedResource p) {
            return new PinnedResource(p.repo(), commit, p.key(), p.file(), p.document());
        }
        if (e instanceof RevisionPinned p) {
            return new RevisionPinned(p.repo(), commit, p.by(), p.time(), p.reason());
        }
        RevisionUnpinned u = (RevisionUnpinned) e;
        return new RevisionUnpinned(u.repo(), commit, u.by(), u.time());
    }

    private static byte[] rewrite(byte[] json, String field, String value) {
        ObjectNode node = (ObjectNode) LogState.tree(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        node.put(field, value);
        return node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Each event as JSON without what git decides (commit ids, replaced by their order of appearance; author and
     * time) and without the record key.
     */
    private static List<String> normalized(List<ConfigEvent> events) {
        Map<String, String> ordinal = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (ConfigEvent e : events) {
            ordinal.computeIfAbsent(e.commit(), c -> "#" + ordinal.size());
            ObjectNode node = (ObjectNode) LogState.tree(new String(EventCodec.encode(e),
                    java.nio.charset.StandardCharsets.UTF_8));
            node.remove("repo");
            if (node.get("info") instanceof ObjectNode info) {
                info.remove(List.of("author", "email", "time"));
            }
            replaceShas(node, ordinal);
            out.add(node.toString());
        }
        return out;
    }

    private static void replaceShas(JsonNode node, Map<String, String> ordinal) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            List<String> names = new ArrayList<>();
            it.forEachRemaining(f -> names.add(f.getKey()));
            for (String name : names) {
                JsonNode v = o.get(name);
                if (v.isTextual() && ordinal.containsKey(v.asText())) {
                    o.set(name, TextNode.valueOf(ordinal.get(v.asText())));
                } else {
                    replaceShas(v, ordinal);
                }
            }
        } else if (node.isArray()) {
            node.forEach(c -> replaceShas(c, ordinal));
        }
    }
}
