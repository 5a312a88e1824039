package meshlog.configstore.snapshot;

import static meshlog.configstore.snapshot.Snapshots.CLUSTER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.LISTENER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.contents;
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
        ClusterSnapshot v1 = snapshot("rt", "c1", CLUSTER_TYPE, REVIEWS, "cluster-1", LISTENER_TYPE, LISTENER, "l-1");
        ClusterSnapshot v2 = snapshot("rt", "c2", CLUSTER_TYPE, REVIEWS, "cluster-2");
        List<ClusterSnapshot> got = new CopyOnWriteArrayList<>();
        try (SnapshotSubscriber sub = SnapshotSubscriber.start(KAFKA.bootstrap(), Set.of("rt"), got::add);
             SnapshotPublisher pub = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-rt")) {
            await().atMost(WAIT).until(sub::caughtUp);

            assertThat(pub.publish(v1)).isTrue();
            await().atMost(WAIT).until(() -> got.size() == 1);
            assertThat(pub.publish(v2)).isTrue();
            await().atMost(WAIT).until(() -> got.size() == 2);

            assertThat(got.get(0).version()).isEqualTo(v1.version());
            assertThat(contents(got.get(0))).isEqualTo(contents(v1));
            assertThat(got.get(1).version()).isEqualTo(v2.version());
            assertThat(got.get(1).commit()).isEqualTo("c2");
            assertThat(contents(got.get(1))).isEqualTo(contents(v2));
        }
        List<ConsumerRecord<String, byte[]>> records = records("rt/");
        assertThat(records).extracting(ConsumerRecord::key).containsExactly(
                "rt/" + CLUSTER_TYPE + "/" + REVIEWS, "rt/" + LISTENER_TYPE + "/" + LISTENER, "rt/_manifest",
                "rt/" + CLUSTER_TYPE + "/" + REVIEWS, "rt/" + LISTENER_TYPE + "/" + LISTENER, "rt/_manifest");
        assertThat(records.get(4).value()).isNull(); // the removed listener's tombstone
    }

    @Test
    void aRestartedPublisherWritesNothingWhenUnchangedAndOnlyTheChangeOtherwise() {
        ClusterSnapshot v1 = snapshot("re", "c1", CLUSTER_TYPE, "a", "ca", CLUSTER_TYPE, "b", "cb");
        ClusterSnapshot v2 = snapshot("re", "c2", CLUSTER_TYPE, "a", "ca", CLUSTER_TYPE, "b", "cb-2");
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-re")) {
            assertThat(pub.publish(v1)).isTrue();
            assertThat(pub.publish(v1)).isFalse();
        }
        int written = records("re/").size();

        try (SnapshotPublisher restarted = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-re")) {
            assertThat(restarted.publish(v1)).isFalse();
            assertThat(records("re/")).hasSize(written);

            assertThat(restarted.publish(v2)).isTrue();
        }
        assertThat(records("re/").subList(written, written + 2)).extracting(ConsumerRecord::key)
                .containsExactly("re/" + CLUSTER_TYPE + "/b", "re/_manifest");
        assertThat(records("re/")).hasSize(written + 2);
    }

    @Test
    void aLateSubscriberGetsOnlyTheNewestSnapshotThenEachNewOne() {
        List<ClusterSnapshot> published = new ArrayList<>();
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-late")) {
            for (int i = 1; i <= 5; i++) {
                ClusterSnapshot s = snapshot("late", "c" + i, CLUSTER_TYPE, "a", "a-" + i, CLUSTER_TYPE, "b" + i, "b");
                pub.publish(s);
                published.add(s);
            }
            pub.publish(snapshot("late-other", "c1", CLUSTER_TYPE, "a", "x"));
            List<ClusterSnapshot> got = new CopyOnWriteArrayList<>();
            List<ClusterSnapshot> all = new CopyOnWriteArrayList<>();
            try (SnapshotSubscriber sub = SnapshotSubscriber.start(KAFKA.bootstrap(), Set.of("late"), got::add);
                 SnapshotSubscriber every = SnapshotSubscriber.start(KAFKA.bootstrap(), Set.of(), all::add)) {
                await().atMost(WAIT).until(() -> sub.caughtUp() && every.caughtUp());
                assertThat(got).extracting(ClusterSnapshot::version).containsExactly(published.get(4).version());
                assertThat(contents(got.get(0))).isEqualTo(contents(published.get(4)));
                assertThat(all).extracting(ClusterSnapshot::cluster).contains("late", "late-other")
                        .doesNotHaveDuplicates();

                ClusterSnapshot v6 = snapshot("late", "c6", CLUSTER_TYPE, "a", "a-6");
                pub.publish(v6);
                await().atMost(WAIT).until(() -> got.size() == 2);
                assertThat(got.get(1).version()).isEqualTo(v6.version());
            }
        }
    }

    @Test
    void anAbortedPublishIsNeverServed() {
        ClusterSnapshot good = snapshot("ab", "c1", CLUSTER_TYPE, "a", "good");
        ClusterSnapshot aborted = snapshot("ab", "c2", CLUSTER_TYPE, "a", "aborted", CLUSTER_TYPE, "b", "b");
        List<ClusterSnapshot> got = new CopyOnWriteArrayList<>();
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.bootstrap(), "reconciler-ab");
             KafkaProducer<String, byte[]> raw = KafkaClients.transactionalProducer(KAFKA.bootstrap(), "raw-ab");
             SnapshotSubscriber sub = SnapshotSubscriber.start(KAFKA.bootstrap(), Set.of("ab"), got::add)) {
            pub.publish(good);
            raw.initTransactions();
            raw.beginTransaction();
            for (SnapshotRecord r : SnapshotDiff.between(good, aborted).records()) {
                raw.send(new ProducerRecord<>(Topics.SNAPSHOTS, r.key(), r.value()));
            }
            raw.flush();
            raw.abortTransaction();
            ClusterSnapshot next = snapshot("ab", "c3", CLUSTER_TYPE, "a", "next");
            pub.publish(next);

            await().atMost(WAIT).until(() -> got.size() == 2);
            assertThat(got).extracting(ClusterSnapshot::version).containsExactly(good.version(), next.version());
            assertThat(sub.failure()).isNull();
        }
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
