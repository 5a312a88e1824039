package meshlog.configstore.snapshot;

import static meshlog.configstore.snapshot.Snapshots.CLUSTER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.LISTENER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.bytes;
import static meshlog.configstore.snapshot.Snapshots.contents;
import static meshlog.configstore.snapshot.Snapshots.scoped;
import static meshlog.configstore.snapshot.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import meshlog.configstore.kafka.KafkaBrokerExtension;
import meshlog.configstore.kafka.KafkaClients;
import meshlog.configstore.kafka.TopicReader;
import meshlog.configstore.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publisher and subscriber against a real broker. Each test uses its own cluster names on the shared topic. */
class SnapshotTopicTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String REVIEWS = "outbound|8080|v1|reviews.default.svc.cluster.local";
    private static final String LISTENER = "reviews.default.svc.cluster.local:8080";

    @Test
    void publishedSnapshotsReachASubscriber_includingARemoval() {
        ScopeSnapshot v1 = snapshot("rt", "c1", CLUSTER_TYPE, REVIEWS, "cluster-1", LISTENER_TYPE, LISTENER, "l-1");
        ScopeSnapshot v2 = snapshot("rt", "c2", CLUSTER_TYPE, REVIEWS, "cluster-2");
        List<ScopeSnapshot> got = new CopyOnWriteArrayList<>();
        try (SnapshotSubscriber sub = SnapshotSubscriber.start(KAFKA.bootstrap(), Set.of("rt"), got::add);
             SnapshotPublisher pub = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-rt")) {
            await().atMost(WAIT).until(sub::caughtUp);

            assertThat(pub.publish("rt", List.of(v1))).isTrue();
            await().atMost(WAIT).until(() -> got.size() == 1);
            assertThat(pub.publish("rt", List.of(v2))).isTrue();
            await().atMost(WAIT).until(() -> got.size() == 2);

            assertThat(got.get(0).version()).isEqualTo(v1.version());
            assertThat(got.get(0).scope()).isEqualTo("grpc");
            assertThat(contents(got.get(0))).isEqualTo(contents(v1));
            assertThat(got.get(1).version()).isEqualTo(v2.version());
            assertThat(got.get(1).commit()).isEqualTo("c2");
            assertThat(contents(got.get(1))).isEqualTo(contents(v2));
        }
        List<ConsumerRecord<String, byte[]>> records = records("rt/");
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyElementsOf(Snapshots.concat(
                List.of(blob("rt", "cluster-1"), blob("rt", "l-1"), body(v1), "rt/grpc/_manifest",
                        blob("rt", "cluster-2"), body(v2), "rt/grpc/_manifest"),
                sorted(blob("rt", "cluster-1"), blob("rt", "l-1"), body(v1))));
        assertThat(records.subList(7, 10)).allMatch(r -> r.value() == null);
    }

    @Test
    void aRestartedPublisherWritesNothingWhenUnchangedAndOnlyTheChangeOtherwise() {
        ScopeSnapshot v1 = snapshot("re", "c1", CLUSTER_TYPE, "a", "ca", CLUSTER_TYPE, "b", "cb");
        ScopeSnapshot v2 = snapshot("re", "c2", CLUSTER_TYPE, "a", "ca", CLUSTER_TYPE, "b", "cb-2");
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-re")) {
            assertThat(pub.publish("re", List.of(v1))).isTrue();
            assertThat(pub.publish("re", List.of(v1))).isFalse();
        }
        int written = records("re/").size();

        try (SnapshotPublisher restarted = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-re")) {
            assertThat(restarted.publish("re", List.of(v1))).isFalse();
            assertThat(records("re/")).hasSize(written);

            assertThat(restarted.publish("re", List.of(v2))).isTrue();
        }
        assertThat(records("re/").subList(written, written + 5)).extracting(ConsumerRecord::key)
                .containsExactlyElementsOf(Snapshots.concat(List.of(blob("re", "cb-2"), body(v2),
                        "re/grpc/_manifest"), sorted(blob("re", "cb"), body(v1))));
        assertThat(records("re/")).hasSize(written + 5);
    }

    @Test
    void withdrawingAScopeAndChangingOneResourceWritesExactlyTheExpectedTombstones() {
        ScopeSnapshot a1 = scoped("wd", "a", "c1", CLUSTER_TYPE, "shared", "s", CLUSTER_TYPE, "x", "x-1");
        ScopeSnapshot b1 = scoped("wd", "b", "c1", CLUSTER_TYPE, "shared", "s", CLUSTER_TYPE, "only-b", "b");
        ScopeSnapshot a2 = scoped("wd", "a", "c2", CLUSTER_TYPE, "shared", "s", CLUSTER_TYPE, "x", "x-2");
        List<String> withdrawn = new CopyOnWriteArrayList<>();
        List<ScopeSnapshot> got = new CopyOnWriteArrayList<>();
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-wd");
             SnapshotSubscriber sub = SnapshotSubscriber.start(KAFKA.bootstrap(), Set.of("wd"),
                     new SnapshotSubscriber.Listener() {
                         @Override
                         public void onSnapshot(ScopeSnapshot snapshot) {
                             got.add(snapshot);
                         }

                         @Override
                         public void onWithdrawn(String cluster, String scope) {
                             withdrawn.add(cluster + "/" + scope);
                         }
                     })) {
            await().atMost(WAIT).until(sub::caughtUp);
            pub.publish("wd", List.of(a1, b1));
            await().atMost(WAIT).until(() -> got.size() == 2);
            int before = records("wd/").size();
            assertThat(before).isEqualTo(3 + 2 + 2); // 3 resources (shared once), 2 bodies, 2 pointers

            assertThat(pub.publish("wd", List.of(a2))).isTrue();

            await().atMost(WAIT).until(() -> got.size() == 3 && withdrawn.size() == 1);
            assertThat(withdrawn).containsExactly("wd/b");
            assertThat(contents(got.get(2))).isEqualTo(contents(a2));
            List<ConsumerRecord<String, byte[]>> after = records("wd/");
            assertThat(after.subList(before, after.size())).extracting(ConsumerRecord::key)
                    .containsExactlyElementsOf(Snapshots.concat(
                            List.of(blob("wd", "x-2"), body(a2), "wd/a/_manifest", "wd/b/_manifest"),
                            sorted(blob("wd", "x-1"), blob("wd", "b"), body(a1), body(b1))));
            assertThat(after.subList(before + 3, after.size())).allMatch(r -> r.value() == null);
        }
    }

    @Test
    void aLateSubscriberGetsOnlyTheNewestSnapshotPerScopeThenEachNewOne() {
        List<ScopeSnapshot> published = new ArrayList<>();
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-late")) {
            for (int i = 1; i <= 5; i++) {
                ScopeSnapshot s = snapshot("late", "c" + i, CLUSTER_TYPE, "a", "a-" + i, CLUSTER_TYPE, "b" + i, "b");
                pub.publish("late", List.of(s, scoped("late", "other", "c" + i, CLUSTER_TYPE, "a", "a-1")));
                published.add(s);
            }
            pub.publish("late-other", List.of(snapshot("late-other", "c1", CLUSTER_TYPE, "a", "x")));
            List<ScopeSnapshot> got = new CopyOnWriteArrayList<>();
            List<ScopeSnapshot> all = new CopyOnWriteArrayList<>();
            try (SnapshotSubscriber sub = SnapshotSubscriber.start(KAFKA.bootstrap(), Set.of("late"), got::add);
                 SnapshotSubscriber every = SnapshotSubscriber.start(KAFKA.bootstrap(), Set.of(), all::add)) {
                await().atMost(WAIT).until(() -> sub.caughtUp() && every.caughtUp());
                assertThat(got).extracting(ScopeSnapshot::scope).containsExactly("grpc", "other");
                assertThat(got.get(0).version()).isEqualTo(published.get(4).version());
                assertThat(contents(got.get(0))).isEqualTo(contents(published.get(4)));
                assertThat(all).extracting(s -> s.cluster() + "/" + s.scope())
                        .contains("late/grpc", "late/other", "late-other/grpc").doesNotHaveDuplicates();

                ScopeSnapshot v6 = snapshot("late", "c6", CLUSTER_TYPE, "a", "a-6");
                pub.publish("late", List.of(v6, scoped("late", "other", "c6", CLUSTER_TYPE, "a", "a-1")));
                await().atMost(WAIT).until(() -> got.size() == 3);
                assertThat(got.get(2).version()).isEqualTo(v6.version());
            }
        }
    }

    @Test
    void anAbortedPublishIsNeverServed() {
        ScopeSnapshot good = snapshot("ab", "c1", CLUSTER_TYPE, "a", "good");
        ScopeSnapshot aborted = snapshot("ab", "c2", CLUSTER_TYPE, "a", "aborted", CLUSTER_TYPE, "b", "b");
        List<ScopeSnapshot> got = new CopyOnWriteArrayList<>();
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-ab");
             KafkaProducer<String, byte[]> raw = KafkaClients.transactionalProducer(KAFKA.bootstrap(), "raw-ab");
             SnapshotSubscriber sub = SnapshotSubscriber.start(KAFKA.bootstrap(), Set.of("ab"), got::add)) {
            pub.publish("ab", List.of(good));
            raw.initTransactions();
            raw.beginTransaction();
            SnapshotHoldings held = SnapshotDiff.between(SnapshotHoldings.empty("ab"), "ab", List.of(good)).after();
            for (SnapshotRecord r : SnapshotDiff.between(held, "ab", List.of(aborted)).records()) {
                raw.send(new ProducerRecord<>(Topics.SNAPSHOTS, r.key(), r.value()));
            }
            raw.flush();
            raw.abortTransaction();
            ScopeSnapshot next = snapshot("ab", "c3", CLUSTER_TYPE, "a", "next");
            pub.publish("ab", List.of(next));

            await().atMost(WAIT).until(() -> got.size() == 2);
            assertThat(got).extracting(ScopeSnapshot::version).containsExactly(good.version(), next.version());
            assertThat(sub.failure()).isNull();
        }
    }

    static String blob(String cluster, String content) {
        return cluster + "/_blob/" + ScopeSnapshot.hash(bytes(content)) + "/0/1";
    }

    static String body(ScopeSnapshot s) {
        return s.cluster() + "/_blob/" + ScopeSnapshot.hash(SnapshotManifest.of(s).encode()) + "/0/1";
    }

    static List<String> sorted(String... keys) {
        return java.util.Arrays.stream(keys).sorted().toList();
    }

    private static List<ConsumerRecord<String, byte[]>> records(String keyPrefix) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        TopicReader.readToEnd(KAFKA.bootstrap(), Topics.SNAPSHOTS, "test-reader", WAIT, r -> {
            if (r.key().startsWith(keyPrefix)) {
                out.add(r);
            }
        });
        return out;
    }
}
