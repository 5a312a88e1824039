package meshlog.ops;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * One control-plane component (git-sync, reconciler, the distributors of a cluster) as its own process runs it: what
 * keeps it from serving the current config, what {@code /api/status} shows of it, and its metrics.
 */
interface Component extends AutoCloseable {

    /** The component's name in {@code /readyz} and in log lines. */
    String name();

    /** What keeps it from serving the current config, by part; empty when ready. */
    Map<String, String> notReady();

    /** What {@code /readyz} says besides problems (a standby, and who leads); empty by default. */
    default Map<String, String> notes() {
        return Map.of();
    }

    /** What {@code /api/status} shows. */
    Object status();

    /** Its connected proxies' sync state, for {@code /api/proxies}; none by default. */
    default java.util.List<ProxySync.Row> proxies() {
        return java.util.List.of();
    }

    /** What the connected proxy is served now, or null when it is not connected here ({@link LiveProxyConfig}). */
    default Object proxyConfig(String proxyId, String type) {
        return null;
    }

    /** Registers its gauges and counters; called once, before the admin server starts. */
    void bindMetrics(MeterRegistry registry);

    /** A heartbeat probe for the {@link Watchdog}: it must return promptly unless the component is stuck. */
    Runnable heartbeat();

    @Override
    void close();
}
