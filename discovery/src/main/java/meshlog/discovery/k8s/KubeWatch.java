package meshlog.discovery.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import java.util.List;
import java.util.function.Function;
import meshlog.discovery.kube.ClusterView;

/**
 * One generation of informers (a SharedInformerFactory) over the five kinds discovery reads, all namespaces. Each
 * starts with a LIST and then WATCHes; an event only marks the view changed ({@code onChange}). Informers retry
 * every error, the first LIST included: an API server that is down at start-up is waited for, in the background.
 * {@link ClusterDiscovery} replaces a generation by a fresh one for its periodic full resync.
 */
final class KubeWatch implements AutoCloseable {

    private final SharedInformerFactory factory;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Namespace> namespaces;
    private final List<SharedIndexInformer<?>> all;

    KubeWatch(KubernetesClient client, Runnable onChange) {
        this.factory = client.informers();
        this.services = informer(Service.class, onChange);
        this.slices = informer(EndpointSlice.class, onChange);
        this.pods = informer(Pod.class, onChange);
        this.nodes = informer(Node.class, onChange);
        this.namespaces = informer(Namespace.class, onChange);
        this.all = List.of(services, slices, pods, nodes, namespaces);
        factory.startAllRegisteredInformers(); // returns at once; the LISTs run in the background
    }

    private <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type, Runnable onChange) {
        // Resync 0: fabric8's resync only replays its own cache; the full resync here LISTs again (a new watch).
        SharedIndexInformer<T> i = factory.sharedIndexInformerFor(type, 0L);
        i.exceptionHandler((started, t) -> true);
        i.addEventHandler(new AnyChange<>(onChange));
        return i;
    }

    /** Every informer has completed its first LIST. */
    boolean synced() {
        return all.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** Every informer has a watch open now (false while the API server is away). */
    boolean watching() {
        return all.stream().allMatch(SharedIndexInformer::isWatching);
    }

    /** The caches, copied into discovery's records. */
    ClusterView view(String cluster) {
        return new ClusterView(cluster, map(services, KubeMapper::service), map(slices, KubeMapper::slice),
                map(pods, KubeMapper::pod), map(nodes, KubeMapper::node), map(namespaces, KubeMapper::namespace));
    }

    private static <T, R> List<R> map(SharedIndexInformer<T> i, Function<T, R> f) {
        return i.getStore().list().stream().map(f).toList();
    }

    @Override
    public void close() {
        factory.stopAllRegisteredInformers();
    }
}
