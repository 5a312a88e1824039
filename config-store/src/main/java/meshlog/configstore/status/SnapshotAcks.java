package meshlog.configstore.status;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.VersionedJson;

/**
 * The answers one distributor received, in one batch, to one scope snapshot version it served: the record of
 * {@code meshlog.proxy-acks} (append-only, kept {@link meshlog.configstore.kafka.Topics#PROXY_ACKS_RETENTION_DAYS}
 * days). A distributor writes one per version with new answers per flush interval, never one per proxy; the counts
 * of a version are the sums of its records. {@code meshlog audit} folds them per commit and cluster.
 *
 * <p>A proxy <em>ACKed</em> the version when it ACKed every routing type (LDS, RDS, CDS, EDS) at the version's type
 * versions; it <em>NACKed</em> it when it rejected one of them. It is counted once per distributor serving period
 * ({@code servedSince}), in the batch where its answer arrived.
 *
 * @param commit the commit the distributor was serving the version for
 * @param servedSince when this distributor began serving the version for the scope
 * @param acked proxies whose ACK arrived in this batch
 * @param nacked proxies whose NACK arrived in this batch
 * @param firstAck the earliest ACK of the batch, or null
 * @param lastAck the latest ACK of the batch, or null
 * @param pushedAckMs the ACKs of proxies whose stream was open before {@code servedSince} (they were pushed the
 *                    version; the others connected later and found it): milliseconds from {@code servedSince} to the
 *                    ACK, as {@link #bucket} rounds them, to how many proxies
 * @param lastPushedAck the latest of those ACKs, exact; null without any
 * @param nacks the distinct rejections, at most {@link #NACK_ERRORS_MAX}, errors escaped and cut
 * @param nackErrorsUnlisted NACKs whose distinct error did not fit in {@code nacks}
 */
public record SnapshotAcks(String cluster, String scope, String version, String commit, String distributor,
                           Instant servedSince, int acked, int nacked, Instant firstAck, Instant lastAck,
                           Map<Long, Integer> pushedAckMs, Instant lastPushedAck, List<NackError> nacks,
                           int nackErrorsUnlisted) {

    public static final String TYPE = "SnapshotAcks";
    public static final int SCHEMA_VERSION = 1;
    /** Envoy's and gRPC's errors are a line or a few; a hostile client may send megabytes. */
    public static final int ERROR_MAX = 1024;
    /** Distinct (type, error) pairs listed per record; one bad resource makes one, whatever the proxy count. */
    public static final int NACK_ERRORS_MAX = 8;

    /**
     * One distinct rejection: its type, the proxy's error (escaped, cut to {@link #ERROR_MAX}), how many proxies
     * sent it in the batch and the first of them.
     */
    public record NackError(String typeUrl, String error, int proxies, String proxyId) {
    }

    public SnapshotAcks {
        pushedAckMs = Collections.unmodifiableMap(new TreeMap<>(pushedAckMs == null ? Map.of() : pushedAckMs));
        nacks = nacks == null ? List.of() : List.copyOf(nacks);
    }

    /**
     * The bucket of a latency in milliseconds: exact below 100 ms, above that rounded down to two significant
     * digits (1234 → 1200), so a record holds at most 90 buckets per decade and a percentile is at most 10 % low.
     */
    public static long bucket(long ms) {
        if (ms < 100) {
            return Math.max(0, ms);
        }
        long unit = 1;
        while (ms / unit >= 100) {
            unit *= 10;
        }
        return ms / unit * unit;
    }

    /** An error as kept: escaped and cut here, once, for every reader. */
    public static String safeError(String error) {
        return error == null ? "" : LogSafe.value(error, ERROR_MAX);
    }

    /** The record key, {@code cluster/scope}: one scope's records stay in order in one partition. */
    public String key() {
        return cluster + "/" + scope;
    }

    public byte[] encode() {
        return VersionedJson.encode(TYPE, SCHEMA_VERSION, this);
    }

    /** @throws IllegalArgumentException for a record of another type or a newer schema */
    public static SnapshotAcks decode(byte[] bytes) {
        return VersionedJson.decode(bytes, TYPE, SCHEMA_VERSION, SnapshotAcks.class, "proxy acks");
    }
}
