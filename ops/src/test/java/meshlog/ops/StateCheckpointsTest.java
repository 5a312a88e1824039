package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.RevisionPinned;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.kafka.Topics;
import meshlog.kafkaembedded.EmbeddedKafkaBroker;
import meshlog.ops.bench.ReplayHistory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@code state --at} from checkpoints is the state without them: over random histories (edits, adds, deletes,
 * renames, reverts, rejections, pins and unpins, written as git-sync and the pin writer write them, to a real
 * broker), the state folded from the nearest checkpoint equals the fold of the whole log, at commits, offsets and
 * times before, between and after checkpoints; and a checkpoint that does not agree with the log (a corrupted body,
 * made after another event, a gap in the chain) is deleted and never changes an answer.
 */
class StateCheckpointsTest {

    static Path dir;
    static EmbeddedKafkaBroker broker;
    static final AtomicInteger TRIES = new AtomicInteger();

    @BeforeContainer
    static void startBroker() throws Exception {
        dir = Files.createTempDirectory("state-checkpoints");
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

    @Property(tries = 2)
    void checkpointedStateEqualsTheFoldOfTheWholeLog(@ForAll @LongRange(min = 1, max = 1_000_000) long seed)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String repo = "cp-" + TRIES.incrementAndGet();
        Path base = dir.resolve("checkpoints-" + repo);
        ReplayHistory history = new ReplayHistory(repo, 6, seed, 30, 10);
        List<ReplayHistory.Step> steps = new ArrayList<>();
        boolean pinned = false;
        boolean rejected = false;
        // 160 commits at least, and on until the history holds a pin and a rejection (some seeds wait for them).
        while ((history.commits() < 160 || !pinned || !rejected) && history.commits() < 2_000) {
            ReplayHistory.Step s = history.next();
            steps.add(s);
            pinned |= s.events().stream().anyMatch(e -> e instanceof RevisionPinned);
            rejected |= s.events().stream().anyMatch(e -> e instanceof CommitRejected);
        }
        try (KafkaEventLog log = new KafkaEventLog(bootstrap, repo);
             KafkaEventLog pins = KafkaEventLog.pinWriter(bootstrap, repo)) {
            ReplayHistory.write(log, pins, steps, 7);
        }
        List<LoggedEvent> events = KafkaEventLog.readAll(bootstrap, repo);
        assertThat(events).anyMatch(e -> e.event() instanceof RevisionPinned)
                .anyMatch(e -> e.event() instanceof CommitRejected);
        List<String> points = points(events, new Random(seed));

        int interval = 40;
        for (String at : points) {
            assertSame(bootstrap, repo, base, interval, events, at);
        }
        List<Path> written = files(base);
        assertThat(written).as("checkpoints written").hasSizeGreaterThan(10);
        StateCheckpoints.Answer late = StateCheckpoints.stateAt(bootstrap, repo, base, interval,
                String.valueOf(events.get(events.size() / 2).offset()), Instant.now());
        assertThat(late.fromCheckpoint()).as("the middle is folded from a checkpoint").isNotNull();
        assertThat(late.readEvents()).as("events read").isLessThan(events.size() / 3);

        // A corrupted body, a checkpoint made after another event, a gap in the chain: each is dropped.
        List<Path> states = written.stream().filter(p -> p.toString().endsWith(".state.gz")).toList();
        corruptBody(states.get(states.size() / 2));
        replaceInHeader(states.get(1), 4, "0".repeat(64));
        replaceInHeader(indexOf(states.get(1)), 4, "0".repeat(64));
        Files.delete(indexOf(states.get(states.size() - 2)));
        for (String at : points.subList(0, 12)) {
            assertSame(bootstrap, repo, base, interval, events, at);
        }
        // Deleted, they are rebuilt, with the same answers.
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        for (String at : points.subList(0, 6)) {
            assertSame(bootstrap, repo, base, interval, events, at);
        }
        assertThat(files(base)).hasSameSizeAs(written);
    }

    private static void assertSame(String bootstrap, String repo, Path base, int interval, List<LoggedEvent> events,
                                   String at) {
        StateCheckpoints.Answer a = StateCheckpoints.stateAt(bootstrap, repo, base, interval, at, Instant.now());
        LogPoint.Resolved point = LogPoint.resolve(at, events, Instant.now());
        assertThat(a.point()).as("point %s", at).isEqualTo(point);
        assertThat(a.state()).as("state at %s", at).isEqualTo(LogState.at(events, point.offset()));
        assertThat(StateCommand.config(a.state(), a.point()))
                .isEqualTo(StateCommand.config(events, point));
    }

    /** Every kind of point: commits applied and rejected, offsets inside commits and pins, times, the ends. */
    private static List<String> points(List<LoggedEvent> events, Random random) {
        List<String> out = new ArrayList<>();
        List<LoggedEvent> closing = events.stream()
                .filter(e -> e.event() instanceof CommitApplied || e.event() instanceof CommitRejected).toList();
        for (int i = 0; i < 20; i++) {
            out.add(closing.get(random.nextInt(closing.size())).event().commit().substring(0, 7 + random.nextInt(34)));
            out.add(String.valueOf(events.get(random.nextInt(events.size())).offset()));
        }
        out.add(closing.get(0).event().commit());
        out.add(closing.get(closing.size() - 1).event().commit());
        out.add("0");
        out.add(String.valueOf(events.get(events.size() - 1).offset() + 5));
        out.add(events.get(events.size() / 3).timestamp().toString());
        out.add("2020-01-01");
        java.util.Collections.shuffle(out, random);
        return out;
    }

    private static List<Path> files(Path base) throws Exception {
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(base)) {
            return all.filter(Files::isRegularFile).sorted(Comparator.comparingLong(StateCheckpointsTest::offsetOf)
                    .thenComparing(Path::toString)).toList();
        }
    }

    private static long offsetOf(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring(0, n.indexOf('.')));
    }

    private static Path indexOf(Path state) {
        return state.resolveSibling(offsetOf(state) + ".index");
    }

    private static void corruptBody(Path state) throws Exception {
        String text = read(state);
        write(state, text.replaceFirst("maxConnections", "maxConnectionz"));
    }

    private static void replaceInHeader(Path file, int field, String value) throws Exception {
        boolean gz = file.toString().endsWith(".gz");
        String text = gz ? read(file) : Files.readString(file);
        int nl = text.indexOf('\n');
        String[] h = text.substring(0, nl).split(" ");
        h[field] = value;
        String changed = String.join(" ", h) + text.substring(nl);
        if (gz) {
            write(file, changed);
        } else {
            Files.writeString(file, changed);
        }
    }

    private static String read(Path gz) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void write(Path gz, String text) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
