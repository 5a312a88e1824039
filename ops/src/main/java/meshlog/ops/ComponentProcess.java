package meshlog.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import meshlog.configstore.LogSafe;
import meshlog.configstore.kafka.KafkaClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component run as its own process ({@code meshlog git-sync}, {@code reconciler}, {@code distributor}): the
 * component, a heap guard and a watchdog for {@code /healthz}, the component's readiness for {@code /readyz}, its
 * status and Prometheus metrics, on its own admin port.
 */
final class ComponentProcess implements AutoCloseable, AdminServer.StatusSource {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.component");

    private final Component component;
    private final HeapGuard heap;
    private final Watchdog watchdog;
    private final PrometheusMeterRegistry metrics;
    private final AdminServer admin;

    private ComponentProcess(Component component, ComponentOptions o, JvmBinders binders) {
        this.component = component;
        this.heap = HeapGuard.install(HeapGuard.percentFromProperty());
        this.watchdog = new Watchdog(Duration.ofSeconds(1), MeshlogNode.STUCK_AFTER, System::nanoTime);
        watchdog.watch(component.name(), component.heartbeat());
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        binders.bindTo(metrics);
        Gauge.builder("meshlog_component_ready", () -> notReady().isEmpty() ? 1 : 0)
                .description("1 when /readyz answers 200").tag("component", component.name()).register(metrics);
        component.bindMetrics(metrics);
        String token = o.adminTokenFile() == null ? null : AdminToken.read(o.adminTokenFile());
        this.admin = AdminServer.start(o.bind(), o.adminPort(), token, this);
    }

    /** The JVM binders, one place so every component reports the same JVM metrics. */
    @FunctionalInterface
    interface JvmBinders {
        void bindTo(PrometheusMeterRegistry r);

        JvmBinders STANDARD = r -> {
            new JvmMemoryMetrics().bindTo(r);
            new JvmGcMetrics().bindTo(r);
            new JvmThreadMetrics().bindTo(r);
            new ProcessorMetrics().bindTo(r);
            new UptimeMetrics().bindTo(r);
        };
    }

    /** Starts the component (closing it again if the admin server cannot listen). */
    static ComponentProcess start(Supplier<Component> starter, ComponentOptions o) {
        if (o.kafka() != null) {
            KafkaClients.register(o.kafka(), o.kafkaSettings());
            LOG.info("kafka {}: {}", LogSafe.value(o.kafka()), o.kafkaSettings().describe());
        }
        Component c = starter.get();
        try {
            ComponentProcess p = new ComponentProcess(c, o, JvmBinders.STANDARD);
            LOG.info("started {} admin http://{}:{}/readyz kafka={}", c.name(), LogSafe.value(o.bind()),
                    p.adminPort(), o.kafka() == null ? "-" : LogSafe.value(o.kafka()));
            return p;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Runs until the process is asked to stop. */
    static int runUntilStopped(Supplier<Component> starter, ComponentOptions o, PrintStream err) {
        ComponentProcess p = start(starter, o);
        ShutdownDeadline stop = ShutdownDeadline.install(p::close, o.stopTimeout(), err);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    int adminPort() {
        return admin.port();
    }

    Component component() {
        return component;
    }

    @Override
    public Map<String, String> problems() {
        Map<String, String> out = new TreeMap<>(watchdog.stuck());
        String h = heap.problem();
        if (h != null) {
            out.put("heap", h);
        }
        return out;
    }

    @Override
    public Map<String, String> notReady() {
        Map<String, String> out = new TreeMap<>(problems());
        out.putAll(component.notReady());
        return out;
    }

    @Override
    public Map<String, String> notes() {
        return component.notes();
    }

    @Override
    public Object status() {
        return component.status();
    }

    @Override
    public Object proxyConfig(String proxyId, String type) {
        return component.proxyConfig(proxyId, type);
    }

    @Override
    public java.util.List<ProxySync.Row> proxies() {
        return component.proxies();
    }

    @Override
    public String metrics() {
        return metrics.scrape();
    }

    @Override
    public void close() {
        admin.close();
        component.close();
        watchdog.close();
        metrics.close();
    }
}
