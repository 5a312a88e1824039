package meshlog.configstore.snapshot;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
 * Publishes the scope snapshots of a cluster to {@code meshlog.snapshots}: each publication is one transaction
 * holding only what the topic lacks (see {@link SnapshotDiff}): new blobs, then the pointers of changed scopes,
 * then tombstones for withdrawn scopes and for blobs no scope references any more.
 *
 * <p>What the topic holds comes from the topic itself: on the first publish the publisher reads the topic once (for
 * all clusters) and diffs against what readers hold, so a restarted reconciler rewrites nothing that is already
 * there, and a publication whose scopes are all at their published versions is skipped entirely. After a failed
 * publish it reads the topic again on the next one. Between publications it keeps only hashes, never resources.
 */
public final class SnapshotPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrap;
    private final String transactionalId;
    private final TransactionalWriter writer;
    private final Clock clock;
    private final Map<String, SnapshotHoldings> published = new HashMap<>();
    /** What the topic held for each cluster when read; null until then, and again after a failed write. */
    private Map<String, SnapshotHoldings> recovered;

    /**
     * Opens the publisher, fencing any earlier one with the same transactional id (one per reconciler instance).
     *
     * @throws org.apache.kafka.common.errors.TimeoutException if the broker cannot be reached within seconds
     */
    public SnapshotPublisher(String bootstrap, String transactionalId) {
        this(bootstrap, transactionalId, Clock.systemUTC());
    }

    /** As above, with the clock that stamps each {@link SnapshotPublished}. */
    public SnapshotPublisher(String bootstrap, String transactionalId, Clock clock) {
        this.clock = clock;
        this.bootstrap = bootstrap;
        this.transactionalId = transactionalId;
        this.writer = new TransactionalWriter(bootstrap, transactionalId);
    }

    /**
     * Makes exactly {@code scopes} the cluster's served set: a scope not among them is withdrawn.
     *
     * @return whether anything was written (false when every scope's version is already published and no scope is
     *     withdrawn)
     * @throws IllegalArgumentException if a scope is of another cluster or twice among {@code scopes}
     * @throws LogWriteException if the transaction was not committed; readers keep the previous snapshots
     */
    public synchronized boolean publish(String cluster, Collection<ScopeSnapshot> scopes) {
        long t0 = System.nanoTime();
        SnapshotHoldings previous = published.containsKey(cluster) ? published.get(cluster) : recover(cluster);
        SnapshotDiff diff = SnapshotDiff.between(previous, cluster, scopes);
        if (diff.unchanged()) {
            published.put(cluster, previous);
            LOG.debug("snapshots unchanged cluster={} scopes={}", cluster, scopes.size());
            return false;
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(diff.records().size());
        long bytes = 0;
        for (SnapshotRecord r : diff.records()) {
            records.add(new ProducerRecord<>(Topics.SNAPSHOTS, r.key(), r.value()));
            bytes += r.key().getBytes(StandardCharsets.UTF_8).length + (r.value() == null ? 0 : r.value().length);
        }
        // The audit of the same transaction: every blob written is kept by hash in the history topic (never
        // tombstoned, so what a recorded publication names stays readable), then the publication record itself.
        for (SnapshotRecord r : diff.records()) {
            if (r.value() != null && r.key().contains("/" + SnapshotKey.BLOB + "/")) {
                records.add(new ProducerRecord<>(Topics.SNAPSHOT_HISTORY, r.key(), r.value()));
            }
        }
        records.add(new ProducerRecord<>(Topics.PUBLICATIONS, cluster,
                SnapshotPublished.of(cluster, clock.instant(), previous, diff.after()).encode()));
        try {
            writer.write(records);
        } catch (RuntimeException e) {
            published.remove(cluster); // unknown what readers hold: read the topic again next time
            recovered = null;
            throw e;
        }
        published.put(cluster, diff.after());
        LOG.info("published snapshots cluster={} scopes={} changed={} removed={} records={} bytes={} in {} ms",
                cluster, scopes.size(), diff.changed(), diff.removed(), records.size(), bytes,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return true;
    }

    @Override
    public synchronized void close() {
        writer.close();
    }

    /**
     * What readers of the topic hold for {@code cluster}. The topic is read once for all clusters, not once per
     * cluster, and again only after a failed write; the blobs read are let go once their hashes are known.
     */
    private SnapshotHoldings recover(String cluster) {
        if (recovered == null) {
            long t0 = System.nanoTime();
            SnapshotAssembler assembler = new SnapshotAssembler();
            long read = TopicReader.readToEnd(bootstrap, Topics.SNAPSHOTS, transactionalId + "-recovery",
                    RECOVERY_TIMEOUT, r -> {
                        try {
                            assembler.accept(r.key(), r.value());
                        } catch (IllegalArgumentException e) {
                            LOG.warn("skipped unreadable snapshot record offset={} key={}: {}", r.offset(),
                                    SnapshotKey.shown(r.key() == null ? "null" : r.key()), e.getMessage());
                        }
                    });
            Map<String, SnapshotHoldings> holdings = new HashMap<>();
            assembler.clusters().forEach(c -> holdings.put(c, assembler.holdings(c)));
            LOG.info("read {} published snapshot records in {} ms", read,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            recovered = holdings;
        }
        SnapshotHoldings held = recovered.getOrDefault(cluster, SnapshotHoldings.empty(cluster));
        LOG.info("recovered published snapshots cluster={} scopes={}", cluster, held.pointers().size());
        return held;
    }
}
