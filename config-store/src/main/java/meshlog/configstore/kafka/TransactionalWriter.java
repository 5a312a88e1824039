package meshlog.configstore.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes groups of records, each group as one Kafka transaction, and retries nothing: a failed group is aborted and
 * reported. Opening a writer fences any older writer with the same transactional id and completes or aborts
 * whatever transaction that one left open, so readers are never blocked behind it.
 *
 * <p>After a failure Kafka allows no abort for (a commit that timed out while the broker was away), the next write
 * opens a fresh producer under the same id, which settles the open transaction first: an outage stops writes only
 * while it lasts. Only fencing (a newer writer took over) and {@link #close()} end a writer for good.
 */
public final class TransactionalWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalWriter.class);
    /**
     * Test only (unset in production): with {@code -Dmeshlog.test.pauseBeforeCommitMs=N} every transaction is flushed
     * (its records are in the broker's log, the transaction still open) and held N ms before its commit, so a test can
     * kill the process inside a transaction deterministically instead of hoping to hit one.
     */
    private static final long PAUSE_BEFORE_COMMIT_MS = Long.getLong("meshlog.test.pauseBeforeCommitMs", 0);

    private final String transactionalId;
    private final String bootstrap;
    private KafkaProducer<String, byte[]> producer;
    private String deadReason;
    private boolean reopenable;

    /**
     * @throws org.apache.kafka.common.errors.TimeoutException if the broker cannot be reached within seconds
     */
    public TransactionalWriter(String bootstrap, String transactionalId) {
        this.transactionalId = transactionalId;
        this.bootstrap = bootstrap;
        this.producer = open(bootstrap, transactionalId);
    }

    private static KafkaProducer<String, byte[]> open(String bootstrap, String transactionalId) {
        KafkaProducer<String, byte[]> p = KafkaClients.transactionalProducer(bootstrap, transactionalId);
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        return p;
    }

    /**
     * Writes {@code records} in one transaction, in order.
     *
     * @return per partition, the offset just past the last record written: a reader that has reached it has read
     *     this transaction
     * @throws LogWriteException if the transaction was not committed
     * @throws IllegalStateException if an earlier failure (fencing) has finished this writer
     */
    public synchronized Map<TopicPartition, Long> write(List<ProducerRecord<String, byte[]>> records) {
        settle();
        if (deadReason != null) {
            throw new IllegalStateException("writer " + transactionalId + " is finished: " + deadReason);
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try {
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> r : records) {
                sent.add(producer.send(r)); // a failed send surfaces at commitTransaction
            }
            if (PAUSE_BEFORE_COMMIT_MS > 0) {
                holdOpen(records.size());
            }
        } catch (KafkaException e) {
            throw abort(e);
        }
        try {
            producer.commitTransaction();
        } catch (TimeoutException e) {
            // Kafka forbids an abort after a commit timed out: the commit may still complete.
            finish("commit timed out");
            reopenable = true;
            throw new LogWriteException("commit of " + transactionalId + " not acknowledged in time; "
                    + "it may or may not be in the log", false, true, e);
        } catch (KafkaException e) {
            throw abort(e);
        }
        return written(sent);
    }

    private void holdOpen(int records) {
        producer.flush();
        LOG.warn("test hook: transaction of {} open with {} records in the log; holding it {} ms before its commit",
                transactionalId, records, PAUSE_BEFORE_COMMIT_MS);
        try {
            Thread.sleep(PAUSE_BEFORE_COMMIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
    }

    /**
     * After a failure with an unknown outcome, opens the producer again: Kafka then completes or aborts the open
     * transaction, so a reader afterwards sees whether it is in the log. Throws while the broker is still away.
     */
    public synchronized void settle() {
        if (deadReason != null && reopenable) {
            producer = open(bootstrap, transactionalId);
            LOG.info("writer {} reopened after: {}", transactionalId, deadReason);
            deadReason = null;
            reopenable = false;
        }
    }

    /** The sends are complete once the commit is: their offsets are known. */
    private static Map<TopicPartition, Long> written(List<Future<RecordMetadata>> sent) {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (Future<RecordMetadata> f : sent) {
            try {
                RecordMetadata m = f.get();
                next.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return next;
            } catch (ExecutionException e) {
                throw new IllegalStateException("a committed record reports a failed send", e);
            }
        }
        return next;
    }

    @Override
    public synchronized void close() {
        if (deadReason == null) {
            producer.close(Duration.ofSeconds(5));
        }
        deadReason = "closed";
        reopenable = false;
    }

    private LogWriteException abort(KafkaException e) {
        if (fatal(e)) {
            finish(e.toString());
            boolean fenced = e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException
                    || e.getCause() instanceof ProducerFencedException;
            LOG.warn("writer {} finished: {}", transactionalId, e.toString());
            return new LogWriteException("transaction of " + transactionalId + " failed"
                    + (fenced ? " (fenced by a newer writer)" : "") + ": " + e.getMessage(), fenced, false, e);
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException abortFailure) {
            e.addSuppressed(abortFailure);
            finish("abort failed: " + abortFailure);
            reopenable = !fatal(abortFailure);
        }
        LOG.warn("writer {} aborted a transaction: {}", transactionalId, e.toString());
        return new LogWriteException("transaction of " + transactionalId + " aborted: " + e.getMessage(),
                false, false, e);
    }

    /** Errors after which Kafka allows no abort: the producer can only be closed. */
    private static boolean fatal(KafkaException e) {
        Throwable c = e.getCause();
        return e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException
                || e instanceof OutOfOrderSequenceException || e instanceof AuthorizationException
                || e instanceof UnsupportedVersionException || c instanceof ProducerFencedException;
    }

    private void finish(String reason) {
        deadReason = reason;
        producer.close(Duration.ZERO);
    }
}
