package meshlog.discovery.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import meshlog.configstore.LogSafe;
import meshlog.configstore.Loops;
import meshlog.discovery.trust.MeshRoot;
import meshlog.discovery.trust.RootCertConfigMaps;
import meshlog.discovery.trust.WebhookCaBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a workload cluster trusting the mesh root, as istiod does for its clusters: the ConfigMap
 * {@code istio-ca-root-cert} in every namespace ({@link RootCertConfigMaps}) and the injection webhook's
 * {@code caBundle} ({@link WebhookCaBundle}). Informers on namespaces, on the ConfigMaps of that name only and on
 * the one webhook configuration mark it dirty; one thread re-plans from their caches and writes what differs. The
 * root file is re-read when it changes (a root rotation reaches every namespace without a restart); a file that no
 * longer holds certificates is refused and the last good root kept. Every write failure is retried.
 */
public final class TrustPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrustPublisher.class);
    private static final Duration TICK = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** A re-plan from the caches even without events: a write lost between an event and a failure is redone. */
    private static final Duration RECHECK = Duration.ofMinutes(1);

    /**
     * @param rootCert      the mesh root PEM file
     * @param webhookConfig the MutatingWebhookConfiguration whose caBundle to keep, or empty for none (a webhook
     *                      certificate from another issuer, whose CA a tool like cert-manager's injects)
     */
    public record Options(String cluster, Path kubeconfig, Path rootCert, String webhookConfig) {
    }

    /**
     * What it has done: ConfigMaps created and updated, webhook patches, and what is wrong now (a refused root file
     * first, else the last write's failure), or null.
     */
    public record Counts(long configMapsCreated, long configMapsUpdated, long webhookPatches, String lastError) {
    }

    private final Options options;
    private final Clock clock;
    private final KubernetesClient client;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<ConfigMap> configMaps;
    private final SharedIndexInformer<MutatingWebhookConfiguration> webhooks;
    private final ScheduledExecutorService loop;
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong updated = new AtomicLong();
    private final AtomicLong patches = new AtomicLong();
    private volatile String lastError;
    /** Why the root file is refused now (the last good root still served), or null. */
    private volatile String rootProblem;

    // Loop-thread state.
    private String root;
    private FileTime rootModified;
    private long rootSize;
    private Instant retryAt = Instant.MIN;
    private Instant recheckAt;

    private TrustPublisher(Options options, Clock clock, KubernetesClient client, String root) {
        this.options = options;
        this.clock = clock;
        this.client = client;
        this.root = root;
        this.recheckAt = clock.instant().plus(RECHECK);
        this.namespaces = client.namespaces().inform(marker(), 0);
        this.configMaps = client.configMaps().inAnyNamespace().withField("metadata.name", RootCertConfigMaps.NAME)
                .inform(marker(), 0);
        this.webhooks = options.webhookConfig().isEmpty() ? null : client.admissionRegistration().v1()
                .mutatingWebhookConfigurations().withName(options.webhookConfig()).inform(marker(), 0);
        this.loop = Loops.daemon("meshlog-trust-" + options.cluster());
    }

    /**
     * Reads and checks the root, starts the informers and returns without waiting for the API server.
     *
     * @throws IllegalArgumentException if the root file or the kubeconfig cannot be used, naming it
     */
    public static TrustPublisher start(Options o, Clock clock) {
        String root = MeshRoot.read(o.rootCert());
        KubernetesClient client = KubeClients.fromKubeconfig(o.kubeconfig());
        TrustPublisher p;
        try {
            p = new TrustPublisher(o, clock, client, root);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        p.noteRootFile();
        p.loop.scheduleWithFixedDelay(p::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("trust publisher of cluster {} started: root {} to ConfigMap {} in every namespace{}",
                LogSafe.value(o.cluster()), LogSafe.value(o.rootCert()), RootCertConfigMaps.NAME,
                o.webhookConfig().isEmpty() ? "" : ", caBundle of " + LogSafe.value(o.webhookConfig()));
        return p;
    }

    private <T extends HasMetadata> AnyChange<T> marker() {
        return new AnyChange<>(() -> dirty.set(true));
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            lastError = LogSafe.value(e.getMessage());
            dirty.set(true);
            retryAt = clock.instant().plus(RETRY);
            LOG.warn("cluster {}: keeping the mesh root failed, retrying in {}: {}",
                    LogSafe.value(options.cluster()), RETRY, LogSafe.value(e));
        }
    }

    private void tick() {
        Instant now = clock.instant();
        reloadRootIfChanged();
        if (!now.isBefore(recheckAt)) {
            recheckAt = now.plus(RECHECK);
            dirty.set(true);
        }
        if (!synced() || now.isBefore(retryAt) || !dirty.getAndSet(false)) {
            return;
        }
        writeConfigMaps();
        if (webhooks != null) {
            patchWebhook();
        }
        lastError = null;
    }

    private boolean synced() {
        return namespaces.hasSynced() && configMaps.hasSynced() && (webhooks == null || webhooks.hasSynced());
    }

    private void writeConfigMaps() {
        List<RootCertConfigMaps.Namespace> ns = namespaces.getStore().list().stream()
                .map(n -> new RootCertConfigMaps.Namespace(n.getMetadata().getName(),
                        n.getStatus() != null && "Terminating".equals(n.getStatus().getPhase())))
                .toList();
        Map<String, RootCertConfigMaps.Existing> existing = new HashMap<>();
        for (ConfigMap cm : configMaps.getStore().list()) {
            existing.put(cm.getMetadata().getNamespace(), new RootCertConfigMaps.Existing(
                    cm.getMetadata().getNamespace(), cm.getData(), cm.getMetadata().getLabels()));
        }
        for (RootCertConfigMaps.Write w : RootCertConfigMaps.plan(ns, existing, root)) {
            if (w.create()) {
                create(w.namespace());
            } else {
                client.configMaps().inNamespace(w.namespace()).withName(RootCertConfigMaps.NAME)
                        .edit(cm -> new ConfigMapBuilder(cm).addToData(RootCertConfigMaps.KEY, root).editMetadata()
                                .addToLabels(RootCertConfigMaps.LABELS).endMetadata().build());
                updated.incrementAndGet();
                LOG.info("cluster {}: updated ConfigMap {}/{} to the mesh root", LogSafe.value(options.cluster()),
                        LogSafe.value(w.namespace()), RootCertConfigMaps.NAME);
            }
        }
    }

    private void create(String namespace) {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(RootCertConfigMaps.NAME)
                .withNamespace(namespace).withLabels(RootCertConfigMaps.LABELS).endMetadata()
                .addToData(RootCertConfigMaps.KEY, root).build();
        try {
            client.configMaps().inNamespace(namespace).resource(cm).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            dirty.set(true); // created meanwhile (another replica, a user): its content is checked next tick
            return;
        }
        created.incrementAndGet();
        LOG.info("cluster {}: created ConfigMap {}/{} with the mesh root", LogSafe.value(options.cluster()),
                LogSafe.value(namespace), RootCertConfigMaps.NAME);
    }

    private void patchWebhook() {
        List<MutatingWebhookConfiguration> found = webhooks.getStore().list();
        if (found.isEmpty()) {
            return; // not installed (yet): its ADD event brings us back
        }
        List<String> bundles = new ArrayList<>();
        for (MutatingWebhook w : found.get(0).getWebhooks()) {
            bundles.add(w.getClientConfig() == null ? null : w.getClientConfig().getCaBundle());
        }
        List<Integer> stale = WebhookCaBundle.stale(bundles, root);
        if (stale.isEmpty()) {
            return;
        }
        String want = WebhookCaBundle.expected(root);
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(options.webhookConfig())
                .edit(c -> {
                    for (MutatingWebhook w : c.getWebhooks()) {
                        if (w.getClientConfig() != null) {
                            w.getClientConfig().setCaBundle(want);
                        }
                    }
                    return c;
                });
        patches.incrementAndGet();
        LOG.info("cluster {}: set the caBundle of {} webhook(s) of {} to the mesh root",
                LogSafe.value(options.cluster()), stale.size(), LogSafe.value(options.webhookConfig()));
    }

    /** A changed root file is read again; a bad one is refused once per change and the last good root kept. */
    private void reloadRootIfChanged() {
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(options.rootCert());
            size = Files.size(options.rootCert());
        } catch (IOException e) {
            return; // a Secret volume swaps its files by symlink: missing for a moment, kept as it was
        }
        if (modified.equals(rootModified) && size == rootSize) {
            return;
        }
        rootModified = modified;
        rootSize = size;
        try {
            String next = MeshRoot.read(options.rootCert());
            rootProblem = null;
            if (!next.equals(root)) {
                root = next;
                dirty.set(true);
                LOG.info("cluster {}: the mesh root in {} changed; updating every namespace",
                        LogSafe.value(options.cluster()), LogSafe.value(options.rootCert()));
            }
        } catch (IllegalArgumentException e) {
            rootProblem = e.getMessage();
            LOG.warn("cluster {}: {}; keeping the previous root", LogSafe.value(options.cluster()), e.getMessage());
        }
    }

    private void noteRootFile() {
        try {
            rootModified = Files.getLastModifiedTime(options.rootCert());
            rootSize = Files.size(options.rootCert());
        } catch (IOException e) {
            rootModified = null;
        }
    }

    public Counts counts() {
        String problem = rootProblem;
        return new Counts(created.get(), updated.get(), patches.get(), problem != null ? problem : lastError);
    }

    @Override
    public void close() {
        Loops.stop(loop);
        namespaces.stop();
        configMaps.stop();
        if (webhooks != null) {
            webhooks.stop();
        }
        client.close();
    }
}
