package meshlog.configstore.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.EventCodec;

/**
 * One proxy's answer to one scope snapshot: the record of {@code meshlog.proxy-acks} (append-only, kept
 * {@link meshlog.configstore.kafka.Topics#PROXY_ACKS_RETENTION_DAYS} days), written by the distributor the proxy is
 * connected to, at most once per outcome per version per stream. {@code meshlog audit} counts them per commit.
 *
 * @param version the {@code ScopeSnapshot} version (a content hash)
 * @param commit the commit the distributor was serving that version for
 * @param outcome {@code ACK}: the proxy accepted every xDS type of the version; {@code NACK}: it rejected one
 * @param typeUrl for a NACK, the type it rejected; null for an ACK
 * @param error for a NACK, the proxy's error detail, escaped and cut to {@link #ERROR_MAX} characters; else null
 * @param connected when the proxy's stream to that distributor opened (a proxy that connected after the version was
 *                  published was not pushed it, it found it)
 * @param time when the distributor received the answer
 */
public record SnapshotAck(String cluster, String scope, String version, String commit, String proxyId,
                          String distributor, String outcome, String typeUrl, String error, Instant connected,
                          Instant time) {

    public static final String TYPE = "SnapshotAck";
    public static final int SCHEMA_VERSION = 1;
    public static final String ACK = "ACK";
    public static final String NACK = "NACK";
    /** Envoy's and gRPC's errors are a line or a few; a hostile client may send megabytes. */
    public static final int ERROR_MAX = 1024;

    public SnapshotAck {
        if (!ACK.equals(outcome) && !NACK.equals(outcome)) {
            throw new IllegalArgumentException("outcome must be ACK or NACK, got " + LogSafe.value(outcome));
        }
    }

    /** An ACK of {@code version} by {@code proxyId}. */
    public static SnapshotAck ack(String cluster, String scope, String version, String commit, String proxyId,
                                  String distributor, Instant connected, Instant time) {
        return new SnapshotAck(cluster, scope, version, commit, proxyId, distributor, ACK, null, null, connected,
                time);
    }

    /** A NACK of {@code version}'s {@code typeUrl}; the error is escaped and cut here, once for every reader. */
    public static SnapshotAck nack(String cluster, String scope, String version, String commit, String proxyId,
                                   String distributor, String typeUrl, String error, Instant connected,
                                   Instant time) {
        return new SnapshotAck(cluster, scope, version, commit, proxyId, distributor, NACK, typeUrl,
                error == null ? null : LogSafe.value(error, ERROR_MAX), connected, time);
    }

    public boolean acked() {
        return ACK.equals(outcome);
    }

    /** The record key: {@code cluster/proxyId}, so one proxy's answers stay in order in one partition. */
    public String key() {
        return cluster + "/" + proxyId;
    }

    public byte[] encode() {
        ObjectNode node = EventCodec.json().createObjectNode();
        node.put("type", TYPE);
        node.put("schemaVersion", SCHEMA_VERSION);
        node.setAll((ObjectNode) EventCodec.json().valueToTree(this));
        try {
            return EventCodec.json().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException for a record of another type or a newer schema */
    public static SnapshotAck decode(byte[] bytes) {
        try {
            JsonNode node = EventCodec.json().readTree(bytes);
            int version = node.path("schemaVersion").asInt(-1);
            if (!TYPE.equals(node.path("type").asText()) || version < 1 || version > SCHEMA_VERSION) {
                throw new IllegalArgumentException("unreadable proxy ack: type=" + LogSafe.value(
                        node.path("type").asText(), 100) + " schemaVersion=" + version);
            }
            return EventCodec.json().treeToValue(node, SnapshotAck.class);
        } catch (IOException | RuntimeException e) {
            throw e instanceof IllegalArgumentException iae ? iae
                    : new IllegalArgumentException("unreadable proxy ack: " + e.getMessage(), e);
        }
    }
}
