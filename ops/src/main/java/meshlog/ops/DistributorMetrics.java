package meshlog.ops;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Consumer;
import meshlog.configstore.status.SnapshotAcks;
import meshlog.xds.XdsDistributor;
import meshlog.xdscheck.TypeUrls;

/**
 * A distributor's metrics, under istiod's names and buckets where istiod has the same meaning, so dashboards and
 * alerts built for istiod read them: {@code pilot_xds}, {@code pilot_xds_pushes{type}},
 * {@code pilot_total_xds_rejects{type}}, {@code pilot_proxy_convergence_time}, {@code pilot_xds_push_time{type}},
 * {@code pilot_xds_send_time}, {@code pilot_xds_config_size_bytes{type}}. One binder for the distributor process and
 * for {@code meshlog up}, which runs several per cluster (the {@code distributor} tag tells them apart).
 */
final class DistributorMetrics {

    /** istiod's {@code pilot_proxy_convergence_time} buckets, in seconds. */
    static final double[] CONVERGENCE_BUCKETS = {0.1, 0.5, 1, 3, 5, 10, 20, 30};

    /** istiod's {@code pilot_xds_push_time} and {@code pilot_xds_send_time} buckets, in seconds. */
    static final double[] PUSH_TIME_BUCKETS = {0.01, 0.1, 1, 3, 5, 10, 20, 30};

    /** istiod's {@code pilot_xds_config_size_bytes} buckets. */
    static final double[] CONFIG_SIZE_BUCKETS = {1, 10000, 1000000, 4000000, 10000000, 40000000};

    /** istiod's {@code type} label values. */
    static final Map<String, String> PUSH_TYPES = Map.of(TypeUrls.CLUSTER, "cds", TypeUrls.LISTENER, "lds",
            TypeUrls.ENDPOINT, "eds", TypeUrls.ROUTE, "rds",
            "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "sds");

    private DistributorMetrics() {
    }

    /**
     * Registers the gauges over {@code server}'s counts; returns what to feed its ACK batches to, for the convergence
     * histogram.
     */
    static Consumer<SnapshotAcks> bind(MeterRegistry r, String cluster, String distributor, XdsDistributor server) {
        // Gauges over the distributor's own counts, not Micrometer counters: a counter's exposition name gains
        // "_total", and istiod's dashboards query pilot_xds_pushes and pilot_total_xds_rejects by these exact names.
        Gauge.builder("pilot_xds", () -> server.proxies().stream().filter(p -> p.connected()).count())
                .description("connected proxies (as istiod's)").tag("cluster", cluster)
                .tag("distributor", distributor).register(r);
        PUSH_TYPES.forEach((url, type) -> Gauge.builder("pilot_total_xds_rejects", () -> server.nacksReceived(url))
                .description("NACKs received, by type (as istiod's)").tag("cluster", cluster)
                .tag("distributor", distributor).tag("type", type).register(r));
        // A client may NACK a type meshlog never sends: counted, under one label, so sum() is every NACK.
        Gauge.builder("pilot_total_xds_rejects", () -> server.nacksReceived() - PUSH_TYPES.keySet().stream()
                        .mapToLong(server::nacksReceived).sum())
                .description("NACKs received, by type (as istiod's)").tag("cluster", cluster)
                .tag("distributor", distributor).tag("type", "other").register(r);
        PUSH_TYPES.forEach((url, type) -> Gauge.builder("pilot_xds_pushes",
                        () -> server.responsesSent().getOrDefault(url, 0L))
                .description("xDS responses sent, by type (as istiod's)").tag("cluster", cluster)
                .tag("distributor", distributor).tag("type", type).register(r));
        PUSH_TYPES.forEach((url, type) -> Gauge.builder("pilot_xds_expired_nonce",
                        () -> server.expiredNonces().getOrDefault(url, 0L))
                .description("requests answering a response older than their type's latest (as istiod's)")
                .tag("cluster", cluster).tag("distributor", distributor).tag("type", type).register(r));
        Gauge.builder("meshlog_xds_ack_answers_dropped", server, XdsDistributor::ackAnswersDropped)
                .description("proxy ACK/NACK answers not recorded for audit (batching queue full)")
                .tag("cluster", cluster).tag("distributor", distributor).register(r);
        // A summary without a unit, so the exposition is pilot_proxy_convergence_time_bucket as istiod's (a Timer
        // would be ..._seconds_bucket). Only proxies pushed a version count: one that connected later found it.
        DistributionSummary convergence = DistributionSummary.builder("pilot_proxy_convergence_time")
                .description("seconds from a distributor serving a snapshot version to each pushed proxy's ACK of"
                        + " every type (as istiod's push-to-proxy convergence)")
                .serviceLevelObjectives(CONVERGENCE_BUCKETS).tag("cluster", cluster).tag("distributor", distributor)
                .register(r);
        bindSends(r, cluster, distributor, server);
        return acks -> acks.pushedAckMs().forEach((ms, proxies) -> {
            for (int i = 0; i < proxies; i++) {
                convergence.record(ms / 1000.0);
            }
        });
    }

    /** Buckets of {@code meshlog_commit_to_last_ack_seconds}, around the goal of p50 0.3 s and p99 1 s. */
    static final java.time.Duration[] COMMIT_TO_ACK_BUCKETS = {java.time.Duration.ofMillis(50),
        java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(200), java.time.Duration.ofMillis(300),
        java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2),
        java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30)};

    /**
     * {@code meshlog_commit_to_last_ack_seconds}: one sample per scope version a commit produced here, once every
     * proxy it was pushed to has ACKed it, from the commit's closing event in Kafka to the last of those ACKs.
     */
    static void bindCommitToAck(MeterRegistry r, String cluster, String distributor, XdsDistributor server,
            CommitLogTimes commits) {
        io.micrometer.core.instrument.Timer timer = io.micrometer.core.instrument.Timer
                .builder("meshlog_commit_to_last_ack")
                .description("from a commit's events in Kafka to the last ACK of the proxies pushed its version")
                .serviceLevelObjectives(COMMIT_TO_ACK_BUCKETS).tag("cluster", cluster)
                .tag("distributor", distributor).register(r);
        server.reportConvergedTo(c -> {
            java.time.Instant logged = commits.of(c.commit());
            if (logged != null) {
                // Clocks of the broker and this host may differ a little: never a negative sample.
                long ms = Math.max(0, java.time.Duration.between(logged, c.lastAck()).toMillis());
                timer.record(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        });
    }

    /** How far the distributor's snapshot feed is behind the topic's end, in records (-1 while not known). */
    static void bindLag(MeterRegistry r, String cluster, String distributor,
            meshlog.configstore.snapshot.SnapshotSubscriber feed) {
        Gauge.builder("meshlog_distributor_consumer_lag", feed, f -> f.lag())
                .description("records of meshlog.snapshots the distributor has not read yet (-1 while not known)")
                .tag("cluster", cluster).tag("distributor", distributor).register(r);
    }

    /**
     * istiod's push histograms, fed per response as a stream hands it to gRPC. Summaries in seconds, not Timers, for
     * the same reason as the convergence one: istiod's exposition names carry no {@code _seconds}.
     */
    private static void bindSends(MeterRegistry r, String cluster, String distributor, XdsDistributor server) {
        Map<String, DistributionSummary> pushTime = new java.util.HashMap<>();
        Map<String, DistributionSummary> size = new java.util.HashMap<>();
        PUSH_TYPES.forEach((url, type) -> {
            pushTime.put(url, DistributionSummary.builder("pilot_xds_push_time")
                    .description("seconds from a stream being handed a response to gRPC accepting it, by type (as"
                            + " istiod's)").serviceLevelObjectives(PUSH_TIME_BUCKETS).tag("cluster", cluster)
                    .tag("distributor", distributor).tag("type", type).register(r));
            size.put(url, DistributionSummary.builder("pilot_xds_config_size_bytes")
                    .description("serialized size of each xDS response, by type (as istiod's)")
                    .serviceLevelObjectives(CONFIG_SIZE_BUCKETS).tag("cluster", cluster)
                    .tag("distributor", distributor).tag("type", type).register(r));
        });
        DistributionSummary sendTime = DistributionSummary.builder("pilot_xds_send_time")
                .description("seconds gRPC took to serialize and queue each xDS response (as istiod's)")
                .serviceLevelObjectives(PUSH_TIME_BUCKETS).tag("cluster", cluster).tag("distributor", distributor)
                .register(r);
        server.reportSendsTo(sent -> {
            sendTime.record(sent.sendNanos() / 1e9);
            DistributionSummary push = pushTime.get(sent.typeUrl());
            if (push != null) {
                push.record(sent.pushNanos() / 1e9);
                size.get(sent.typeUrl()).record(sent.bytes());
            }
        });
    }
}
