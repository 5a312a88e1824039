package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code meshlog git-sync} processes on one repository and one {@code meshlog kafka}, each its own JVM, while
 * a commit is made every second: one leads, the others stand by; the leader is killed with SIGKILL, then a leader in
 * the middle of a transaction (held open by the test-only hook {@code meshlog.test.pauseBeforeCommitMs}); a leader is
 * frozen with SIGSTOP until replaced, then woken; the broker is killed; a leader is stopped with SIGTERM. After each, the {@code read_committed} log holds every commit made so far exactly once, in commit order, and
 * no commit in part. One story in order; the times it prints are measurements on this machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitSyncTakeoverTest {

    static final Duration START = Duration.ofSeconds(60);
    /** The default leader timeout is 6 s: a takeover after SIGKILL must come within it and a few seconds more. */
    static final Duration TAKEOVER = Duration.ofSeconds(20);
    static final String TXN = KafkaEventLog.transactionalId(MeshlogNode.REPO_ID);

    @TempDir
    static Path tmp;
    static MeshRepo repo;
    static String kafka;
    static ChildProcess broker;
    static final Map<String, ChildProcess> gitSyncs = new TreeMap<>();
    static final Map<String, String> admin = new TreeMap<>();
    static final List<String> committed = new ArrayList<>();
    static volatile boolean stopCommitting;
    static Thread committer;

    @BeforeAll
    static void start() throws Exception {
        repo = new MeshRepo(tmp.resolve("mesh"), 1, 2);
        committed.add(repo.commit("echo-routing.yaml", MeshRepo.split(100, 0), "commit 0"));
        broker = startBroker("kafka-0");
        kafka = broker.await("kafka at (\\S+)", START);
        startGitSyncs(List.of(), "a", "b");
        // A git-sync on an empty log records the branch head, not its history: commit 0 must be in before the
        // next is made (a loaded machine starts the JVMs slowly), or the log rightly begins at commit 1.
        awaitRecorded(committed.get(0), START);
        committer = new Thread(GitSyncTakeoverTest::commitEverySecond, "committer");
        committer.setDaemon(true);
        committer.start();
    }

    static ChildProcess startBroker(String name) throws Exception {
        return ChildProcess.start(tmp.resolve("logs"), name, "512m", "kafka", "--data-dir",
                tmp.resolve("kafka").toString(), "--port", "0");
    }

    /** Starts them all, then waits for each one's admin port: the JVMs start side by side. */
    static void startGitSyncs(List<String> jvmOptions, String... names) throws Exception {
        for (String n : names) {
            gitSyncs.put(n, ChildProcess.start(tmp.resolve("logs"), "git-sync-" + n, "192m", jvmOptions, "git-sync",
                    "--kafka", kafka, "--repo", repo.dir().toString(), "--poll", "200ms", "--admin-port", "0",
                    "--data-dir", tmp.resolve("git-sync-" + n).toString()));
        }
        for (String n : names) {
            admin.put(n, gitSyncs.get(n).await("admin http://127\\.0\\.0\\.1:(\\d+)/readyz", START));
        }
    }

    /** About one commit a second, each a different weight split, for at most three minutes. */
    static void commitEverySecond() {
        for (int i = 1; i <= 180 && !stopCommitting; i++) {
            try {
                String sha = repo.commit("echo-routing.yaml", MeshRepo.split(100 - i % 101, i % 101), "commit " + i);
                synchronized (committed) {
                    committed.add(sha);
                }
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        stopCommitting = true;
        if (committer != null) {
            committer.interrupt();
            committer.join(5_000);
        }
        for (ChildProcess c : gitSyncs.values()) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
        repo.close();
    }

    static HttpResponse<String> get(String name, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + admin.get(name) + path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> status(String name) throws Exception {
        return EventCodec.json().readValue(get(name, "/api/status").body(), new TypeReference<>() { });
    }

    /** The live git-sync that says it leads, or null. */
    static String leader() {
        String found = null;
        for (String n : gitSyncs.keySet()) {
            try {
                ChildProcess c = gitSyncs.get(n);
                if (c.alive() && !c.paused() && "leader".equals(status(n).get("role"))) {
                    assertThat(found).as("two git-syncs say they lead").isNull();
                    found = n;
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                // not answering yet
            }
        }
        return found;
    }

    static List<String> committedSoFar() {
        synchronized (committed) {
            return List.copyOf(committed);
        }
    }

    /** The commit ids of the closing events in the read_committed log, in log order. */
    static List<String> recorded() {
        return closings(KafkaEventLog.readAll(kafka, MeshlogNode.REPO_ID));
    }

    static List<String> closings(List<LoggedEvent> events) {
        return events.stream().map(LoggedEvent::event)
                .filter(e -> e instanceof CommitApplied || e instanceof CommitRejected).map(ConfigEvent::commit)
                .toList();
    }

    /** Waits until the log holds {@code sha}. */
    static long awaitRecorded(String sha, Duration within) {
        long t0 = System.nanoTime();
        await().atMost(within).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> recorded().contains(sha));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * Every commit the log holds was made, once, in the order made, with none skipped; each commit's events are
     * contiguous and end with its closing event: nothing partial.
     */
    static List<String> assertExactlyOnceInOrder() {
        List<LoggedEvent> events = KafkaEventLog.readAll(kafka, MeshlogNode.REPO_ID);
        List<String> made = committedSoFar();
        List<String> inLog = closings(events);
        assertThat(inLog).doesNotHaveDuplicates();
        assertThat(inLog.size()).isLessThanOrEqualTo(made.size());
        assertThat(inLog).isEqualTo(made.subList(0, inLog.size()));
        String open = null;
        for (LoggedEvent e : events) {
            ConfigEvent ev = e.event();
            assertThat(open == null || open.equals(ev.commit())).as("events of %s interleave with %s", open,
                    ev.commit()).isTrue();
            open = ev instanceof CommitApplied || ev instanceof CommitRejected ? null : ev.commit();
        }
        assertThat(open).as("a commit whose events have no closing event").isNull();
        return inLog;
    }

    @Test
    @Order(1)
    void oneLeadsTheOtherStandsByReadyAndNamingTheLeader() throws Exception {
        await().atMost(START).pollInterval(Duration.ofMillis(200)).until(() -> leader() != null);
        String leader = leader();
        String standby = leader.equals("a") ? "b" : "a";
        String leaderId = (String) status(leader).get("instance");
        await().atMost(START).ignoreExceptions().until(() -> leaderId.equals(status(standby).get("leader")));
        assertThat(status(standby).get("role")).isEqualTo("standby");
        assertThat(status(standby).get("lastProcessed")).isNull();
        HttpResponse<String> ready = get(standby, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"ready\":true").contains("standby " + status(standby).get("instance")
                + "; leader is " + leaderId);
        await().atMost(START).ignoreExceptions().until(() -> get(leader, "/readyz").statusCode() == 200);
        assertThat(get(leader, "/readyz").body()).contains("leader " + leaderId);
        assertThat(get(leader, "/metrics").body()).contains("meshlog_git_sync_leader 1.0");
        assertThat(get(standby, "/metrics").body()).contains("meshlog_git_sync_leader 0.0");
        List<String> made = committedSoFar();
        awaitRecorded(made.get(made.size() - 1), START);
        assertExactlyOnceInOrder();
    }

    @Test
    @Order(2)
    void killingTheLeaderHandsTheLogToTheStandbyWithinSeconds() throws Exception {
        String leader = leader();
        String standby = leader.equals("a") ? "b" : "a";
        gitSyncs.get(leader).kill9();
        long t0 = System.nanoTime();
        await().atMost(TAKEOVER).pollInterval(Duration.ofMillis(100)).until(() -> standby.equals(leader()));
        long takeover = (System.nanoTime() - t0) / 1_000_000;
        List<String> made = committedSoFar();
        long firstCommit = takeover + awaitRecorded(made.get(made.size() - 1), TAKEOVER);
        System.out.println("git-sync leader killed -> standby leads: " + takeover + " ms; -> the commit made"
                + " meanwhile recorded: " + firstCommit + " ms (leader timeout 6 s)");
        assertThat(takeover).isLessThan(TAKEOVER.toMillis());
        assertExactlyOnceInOrder();

        // A restarted git-sync joins as a standby: the leader keeps the partition (sticky assignment).
        gitSyncs.remove(leader);
        admin.remove(leader);
        startGitSyncs(List.of("-Dmeshlog.test.pauseBeforeCommitMs=60000"), "c");
        String leaderId = (String) status(standby).get("instance");
        await().atMost(START).ignoreExceptions().until(() -> leaderId.equals(status("c").get("leader")));
        assertThat(leader()).isEqualTo(standby);
        // A standby is ready once it has read the log too, which may come a moment after it names the leader.
        await().atMost(START).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> get("c", "/readyz").statusCode() == 200);
    }

    @Test
    @Order(3)
    void aLeaderKilledInsideATransactionLeavesNothingOfItAndTheCommitIsRecordedOnce() throws Exception {
        String leader = leader();
        gitSyncs.get(leader).kill9();
        gitSyncs.remove(leader);
        admin.remove(leader);
        // c takes over and holds its first transaction open (the hook): its records are in the broker's log.
        gitSyncs.get("c").await("test hook: transaction of " + TXN + " open with (\\d+) records", TAKEOVER);
        List<String> before = assertExactlyOnceInOrder();
        String held = committedSoFar().get(before.size());
        assertThat(closings(readUncommitted())).as("the held transaction is in the log, uncommitted").contains(held);
        assertThat(before).as("read_committed readers do not see it").doesNotContain(held);

        gitSyncs.get("c").kill9();
        gitSyncs.remove("c");
        admin.remove("c");
        long t0 = System.nanoTime();
        startGitSyncs(List.of(), "d", "e");
        long ms = awaitRecorded(held, START);
        System.out.println("git-sync killed inside a transaction -> new git-syncs started, the held commit"
                + " recorded: " + ((System.nanoTime() - t0) / 1_000_000) + " ms (JVM start included; " + ms
                + " ms after they were up)");
        List<String> after = assertExactlyOnceInOrder();
        assertThat(after.subList(0, before.size() + 1)).isEqualTo(committedSoFar().subList(0, before.size() + 1));
        // The aborted copy is still in the partition, as Kafka keeps aborted records; only the new one counts.
        assertThat(closings(readUncommitted()).stream().filter(held::equals).count()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void aFrozenLeaderIsReplacedAndWhenItWakesWritesNothingAndStandsBy() throws Exception {
        String leader = leader();
        String other = gitSyncs.keySet().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        ChildProcess zombie = gitSyncs.get(leader);
        zombie.pause();
        long t0 = System.nanoTime();
        await().atMost(TAKEOVER).pollInterval(Duration.ofMillis(100)).until(() -> other.equals(leader()));
        long takeover = (System.nanoTime() - t0) / 1_000_000;
        List<String> made = committedSoFar();
        awaitRecorded(made.get(made.size() - 1), TAKEOVER);
        zombie.resume(); // it still believes it leads, and its poll loop runs on
        await().atMost(TAKEOVER).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> "standby".equals(status(leader).get("role")));
        String how = zombie.await("(its writer was fenced by a newer one|session in the group expired)", TAKEOVER);
        System.out.println("git-sync leader frozen (SIGSTOP) -> the other leads: " + takeover + " ms; woken, it"
                + " stood down because " + how);
        assertThat(leader()).isEqualTo(other);
        assertExactlyOnceInOrder();
    }

    @Test
    @Order(5)
    void theBrokerKilledAndRestartedOnItsDataLosesAndRepeatsNothing() throws Exception {
        await().atMost(TAKEOVER).pollInterval(Duration.ofMillis(200)).until(() -> leader() != null);
        broker.kill9();
        Thread.sleep(1_000); // commits keep coming while it is down
        long t0 = System.nanoTime();
        broker = startBroker("kafka-1");
        assertThat(broker.await("kafka at (\\S+)", START)).isEqualTo(kafka);
        List<String> made = committedSoFar();
        awaitRecorded(made.get(made.size() - 1), START);
        System.out.println("broker killed and restarted -> the commits made meanwhile recorded: "
                + (System.nanoTime() - t0) / 1_000_000 + " ms after the restart began");
        assertExactlyOnceInOrder();
        await().atMost(TAKEOVER).pollInterval(Duration.ofMillis(200)).until(() -> leader() != null);
    }

    @Test
    @Order(6)
    void aLeaderStoppedCleanlyLeavesTheGroupAndTheStandbyTakesOverWithoutWaitingForTheTimeout() throws Exception {
        await().atMost(TAKEOVER).pollInterval(Duration.ofMillis(200)).until(() -> leader() != null);
        String leader = leader();
        String other = gitSyncs.keySet().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        await().atMost(TAKEOVER).ignoreExceptions().until(() -> "standby".equals(status(other).get("role")));
        long t0 = System.nanoTime();
        gitSyncs.remove(leader).close(); // SIGTERM, as a rolling update does
        await().atMost(TAKEOVER).pollInterval(Duration.ofMillis(100)).until(() -> other.equals(leader()));
        long takeover = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("git-sync leader stopped with SIGTERM -> the standby leads: " + takeover + " ms");
        assertThat(takeover).isLessThan(GitSyncComponent.LEADER_TIMEOUT.toMillis());
        List<String> made = committedSoFar();
        awaitRecorded(made.get(made.size() - 1), TAKEOVER);
        assertExactlyOnceInOrder();
    }

    @Test
    @Order(7)
    void inTheEndEveryCommitMadeIsRecordedExactlyOnceInOrder() throws Exception {
        stopCommitting = true;
        committer.join(5_000);
        List<String> made = committedSoFar();
        awaitRecorded(made.get(made.size() - 1), START);
        assertThat(assertExactlyOnceInOrder()).isEqualTo(made);
        System.out.println("commits made and recorded exactly once: " + made.size());
    }

    /** The partition as a read_uncommitted reader sees it: open and aborted transactions included. */
    static List<LoggedEvent> readUncommitted() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka);
        p.put("isolation.level", "read_uncommitted");
        p.put("enable.auto.commit", "false");
        List<LoggedEvent> out = new ArrayList<>();
        TopicPartition tp = new TopicPartition(Topics.CONFIG_EVENTS, 0);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (MeshlogNode.REPO_ID.equals(r.key())) {
                        out.add(new LoggedEvent(r.offset(), java.time.Instant.ofEpochMilli(r.timestamp()),
                                EventCodec.decode(r.value())));
                    }
                }
            }
        }
        return out;
    }
}
