package meshlog.configstore.snapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import meshlog.configstore.kafka.LogWriteException;
import meshlog.configstore.kafka.TopicReader;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.kafka.TransactionalWriter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes cluster snapshots to {@code meshlog.snapshots}, each as one transaction holding only what changed since
 * the cluster's previous snapshot (see {@link SnapshotDiff}), the manifest last.
 *
 * <p>What "previous" is comes from the topic itself: on the first publish for a cluster the publisher reads the
 * topic and diffs against what readers hold, so a restarted reconciler rewrites nothing that is already there, and
 * a snapshot whose version is already published is skipped entirely. After a failed publish it reads the topic
 * again on the next one.
 */
public final class SnapshotPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrap;
    private final String transactionalId;
    private final TransactionalWriter writer;
    private final Map<String, ClusterSnapshot> published = new HashMap<>();
    /** Everything the topic held when first read; null until then, and again after a failed write. */
    private SnapshotAssembler recovered;

    /**
     * Opens the publisher, fencing any earlier one with the same transactional id (one per reconciler instance).
     *
     * @throws org.apache.kafka.common.errors.TimeoutException if the broker cannot be reached within seconds
     */
    public SnapshotPublisher(String bootstrap, String transactionalId) {
        this.bootstrap = bootstrap;
        this.transactionalId = transactionalId;
        this.writer = new TransactionalWriter(bootstrap, transactionalId);
    }

    /**
     * Makes {@code next} the cluster's served snapshot.
     *
     * @return whether anything was written (false when this version is already published)
     * @throws LogWriteException if the transaction was not committed; readers keep the previous snapshot
     */
    public synchronized boolean publish(ClusterSnapshot next) {
        long t0 = System.nanoTime();
        ClusterSnapshot previous = published.containsKey(next.cluster())
                ? published.get(next.cluster()) : recover(next.cluster());
        if (previous != null && previous.version().equals(next.version())) {
            published.put(next.cluster(), previous);
            LOG.debug("snapshot unchanged cluster={} version={}", next.cluster(), next.version());
            return false;
        }
        SnapshotDiff diff = SnapshotDiff.between(previous, next);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(diff.records().size());
        for (SnapshotRecord r : diff.records()) {
            records.add(new ProducerRecord<>(Topics.SNAPSHOTS, r.key(), r.value()));
        }
        try {
            writer.write(records);
        } catch (RuntimeException e) {
            published.remove(next.cluster()); // unknown what readers hold: read the topic again next time
            recovered = null;
            throw e;
        }
        published.put(next.cluster(), next);
        LOG.info("published snapshot cluster={} version={} commit={} resources={} changed={} removed={} in {} ms",
                next.cluster(), next.version(), next.commit(), SnapshotManifest.of(next).resourceCount(),
                diff.changed(), diff.removed(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return true;
    }

    @Override
    public synchronized void close() {
        writer.close();
    }

    /**
     * What readers of the topic hold for {@code cluster} (its version empty unless a manifest matches it). The topic
     * is read once for all clusters, not once per cluster, and again only after a failed write.
     */
    private ClusterSnapshot recover(String cluster) {
        if (recovered == null) {
            long t0 = System.nanoTime();
            SnapshotAssembler assembler = new SnapshotAssembler();
            long read = TopicReader.readToEnd(bootstrap, Topics.SNAPSHOTS, transactionalId + "-recovery",
                    RECOVERY_TIMEOUT, r -> {
                        try {
                            assembler.accept(r.key(), r.value());
                        } catch (IllegalArgumentException e) {
                            LOG.warn("skipped unreadable snapshot record offset={} key={}: {}", r.offset(), r.key(),
                                    e.getMessage());
                        }
                    });
            LOG.info("read {} published snapshot records in {} ms", read,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            recovered = assembler;
        }
        ClusterSnapshot held = recovered.holdings(cluster);
        LOG.info("recovered published snapshot cluster={} version={}", cluster, held == null ? "none" : held.version());
        return held;
    }
}
