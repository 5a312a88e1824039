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
 * {@code pilot_total_xds_rejects}, {@code pilot_proxy_convergence_time}. One binder for the distributor process and
 * for {@code meshlog up}, which runs several per cluster (the {@code distributor} tag tells them apart).
 */
final class DistributorMetrics {

    /** istiod's {@code pilot_proxy_convergence_time} buckets, in seconds. */
    static final double[] CONVERGENCE_BUCKETS = {0.1, 0.5, 1, 3, 5, 10, 20, 30};

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
        Gauge.builder("pilot_total_xds_rejects", server, XdsDistributor::nacksReceived)
                .description("NACKs received (as istiod's, without the type label)").tag("cluster", cluster)
                .tag("distributor", distributor).register(r);
        PUSH_TYPES.forEach((url, type) -> Gauge.builder("pilot_xds_pushes",
                        () -> server.responsesSent().getOrDefault(url, 0L))
                .description("xDS responses sent, by type (as istiod's)").tag("cluster", cluster)
                .tag("distributor", distributor).tag("type", type).register(r));
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
        return acks -> acks.pushedAckMs().forEach((ms, proxies) -> {
            for (int i = 0; i < proxies; i++) {
                convergence.record(ms / 1000.0);
            }
        });
    }
}
