package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.kafka.Topics;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gitsync.GitSync;
import meshlog.gitsync.TreeLimits;
import meshlog.gitsync.git.ConfigRepository;
import meshlog.gitsync.kafka.KafkaCommitLog;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The replay is a function of the log: over random histories of a real git repository (adds, edits, deletes,
 * renames, reverts to an earlier tree, rejected commits, pins and unpins) recorded by git-sync and the pin writer
 * through a real broker, the state {@code meshlog state --at X} folds from the log equals the tree of commit X when
 * X was applied, the tree of the last applied commit before X when X was rejected, and the pinned commit's tree
 * while one is pinned (until an unpin or an applied commit with the pinned tree), for every X.
 */
class ReplayPropertyTest {

    static Path dir;
    static EmbeddedKafkaBroker broker;
    static final AtomicInteger TRIES = new AtomicInteger();

    /** One step of a history, on object {@code i} (0..3) with a port. */
    record Step(String op, int i, int port) {
    }

    @BeforeContainer
    static void startBroker() throws Exception {
        dir = Files.createTempDirectory("replay-property");
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        Topics.ensure(broker.bootstrapServers());
    }

    @AfterContainer
    static void stopBroker() throws Exception {
        broker.close();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of("add", "add", "edit", "delete", "rename", "revert", "reject", "pin",
                        "unpin"),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1000, 1003)).as(Step::new);
        return step.list().ofMinSize(3).ofMaxSize(12);
    }

    /** A commit and what the model says about it: applied or not, and what is served right after it. */
    record Expected(String sha, boolean applied, Map<ResourceKey, JsonNode> served) {
    }

    @Property(tries = 25)
    void stateAtEveryCommitIsThatCommitsTreeOrThePinnedOne(@ForAll("histories") List<Step> history)
            throws Exception {
        String repoId = "replay-" + TRIES.incrementAndGet();
        Path work = dir.resolve(repoId);
        List<Expected> expected = new ArrayList<>();
        List<String> appliedShas = new ArrayList<>();
        Map<String, Map<ResourceKey, JsonNode>> treeOfSha = new TreeMap<>();
        Map<ResourceKey, JsonNode> lastApplied = Map.of();
        Map<ResourceKey, JsonNode> pinned = null;
        List<Map<String, String>> trees = new ArrayList<>();
        Map<String, String> tree = new TreeMap<>(); // path -> content: the work tree as the history writes it
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call();
             ConfigRepository repo = ConfigRepository.open(work.toFile(), null);
             KafkaCommitLog log = new KafkaCommitLog(broker.bootstrapServers(), repoId);
             KafkaEventLog pins = KafkaEventLog.pinWriter(broker.bootstrapServers(), repoId)) {
            GitSync sync = new GitSync(repoId, repo, log);
            for (Step s : history) {
                if (s.op().equals("pin")) {
                    if (!appliedShas.isEmpty()) {
                        String target = appliedShas.get(Math.floorMod(s.port(), appliedShas.size()));
                        awaitReadable(pins, appliedShas.get(appliedShas.size() - 1));
                        assertThat(PinCommand.pin(pins, repoId, target, "prop", quiet, quiet)).isZero();
                        pinned = treeOfSha.get(target);
                    }
                    continue;
                }
                if (s.op().equals("unpin")) {
                    assertThat(PinCommand.unpin(pins, repoId, quiet)).isZero();
                    pinned = null;
                    continue;
                }
                apply(s, tree, trees);
                write(work, tree);
                git.add().addFilepattern(".").call();
                git.add().addFilepattern(".").setUpdate(true).call();
                String sha = git.commit().setMessage(s.toString()).setAllowEmpty(true)
                        .setAuthor(new PersonIdent("Prop", "prop@example.com")).setSign(false).call().name();
                trees.add(new TreeMap<>(tree));
                sync.pollOnce();
                CompiledConfig compiled = repo.configFiles(sha, TreeLimits.DEFAULTS).compile();
                boolean deletesAll = compiled.resources().isEmpty() && !lastApplied.isEmpty();
                boolean applied = !compiled.hasErrors() && !deletesAll;
                if (applied) {
                    lastApplied = treeOf(compiled);
                    appliedShas.add(sha);
                    treeOfSha.put(sha, lastApplied);
                    if (lastApplied.equals(pinned)) {
                        pinned = null; // git has the pinned tree again: the pin ends
                    }
                }
                expected.add(new Expected(sha, applied, pinned != null ? pinned : lastApplied));
            }
            if (expected.isEmpty()) {
                return;
            }
            // A fresh reader may see the last transaction's marker a moment after the writer's commit returned.
            String last = expected.get(expected.size() - 1).sha();
            List<LoggedEvent> events = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> KafkaEventLog.readAll(broker.bootstrapServers(), repoId),
                            read -> read.stream().anyMatch(e -> e.event().commit().equals(last)));
            for (Expected x : expected) {
                LogPoint.Resolved at = LogPoint.resolve(x.sha(), events, java.time.Instant.now());
                boolean applied = events.stream().anyMatch(e -> e.offset() == at.offset()
                        && e.event() instanceof CommitApplied);
                assertThat(applied || events.stream().anyMatch(e -> e.offset() == at.offset()
                        && e.event() instanceof CommitRejected)).as("every commit is recorded").isTrue();
                assertThat(applied).as("commit %s applied", x.sha()).isEqualTo(x.applied());
                assertThat(LogState.documents(LogState.at(events, at.offset()))).as("served at %s", x.sha())
                        .isEqualTo(x.served());
            }
        }
    }

    private static Map<ResourceKey, JsonNode> treeOf(CompiledConfig compiled) {
        Map<ResourceKey, JsonNode> out = new TreeMap<>();
        compiled.resources().forEach(p -> out.put(p.resource().key(), LogState.tree(p.json())));
        return out;
    }

    private static void apply(Step s, Map<String, String> tree, List<Map<String, String>> earlier) {
        String path = tree.keySet().stream().filter(p -> p.endsWith("svc-" + s.i() + ".yaml")).findFirst()
                .orElse("svc-" + s.i() + ".yaml");
        switch (s.op()) {
            case "add", "edit" -> tree.put(path, serviceEntry(s.i(), s.port(), "STATIC"));
            case "reject" -> tree.put(path, serviceEntry(s.i(), s.port(), "BOGUS"));
            case "delete" -> tree.remove(path);
            case "rename" -> {
                String content = tree.remove(path);
                if (content != null) {
                    tree.put((path.startsWith("moved/") ? "" : "moved/") + "svc-" + s.i() + ".yaml", content);
                }
            }
            case "revert" -> {
                if (!earlier.isEmpty()) {
                    tree.clear();
                    tree.putAll(earlier.get(Math.floorMod(s.port(), earlier.size())));
                }
            }
            default -> throw new AssertionError(s);
        }
    }

    private static void write(Path work, Map<String, String> tree) throws Exception {
        for (String sub : List.of("", "moved/")) {
            for (int i = 0; i < 4; i++) {
                Files.deleteIfExists(work.resolve(sub + "svc-" + i + ".yaml"));
            }
        }
        for (Map.Entry<String, String> e : tree.entrySet()) {
            Files.createDirectories(work.resolve(e.getKey()).getParent());
            Files.writeString(work.resolve(e.getKey()), e.getValue());
        }
    }

    static String serviceEntry(int i, int port, String resolution) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: svc-%d, namespace: demo}
                spec:
                  hosts: [svc-%d.demo.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: %s
                  ports: [{number: %d, name: grpc, protocol: GRPC}]
                  endpoints: [{address: 127.0.0.1}]
                """.formatted(i, i, resolution, port);
    }

    /**
     * Waits until a read_committed reader sees {@code sha}'s commit: Kafka writes a transaction's commit markers
     * after {@code commitTransaction} returns, so a reader right after it may not see the commit yet (a loaded
     * machine made the pin below miss the last applied commit).
     */
    static void awaitReadable(KafkaEventLog log, String sha) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (log.readAll().stream().anyMatch(e -> e.event() instanceof meshlog.configstore.event.ConfigEvent.CommitApplied
                    && sha.equals(e.event().commit()))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("commit " + sha + " not readable in the log within 20 s");
    }
}
