package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.MeshCluster;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.BackendRef;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;

/**
 * Config objects to the IR of one cluster: services from ServiceEntries, backends from DestinationRules, route
 * tables from VirtualServices, and one listener per service port. Pure and deterministic: the objects are sorted
 * by kind, namespace and name first, so their order in the input does not matter.
 *
 * <p>Only the endpoints' locality priorities depend on the cluster (its {@code Cluster} object's locality); the
 * routing is the same in every cluster.
 */
public final class MeshTranslator {

    private MeshTranslator() {
    }

    /**
     * @param resources every config object served (other kinds than those above are ignored)
     * @param cluster the name of the cluster the IR is for; need not be declared by a {@code Cluster} object
     */
    public static MeshIr translate(Collection<? extends MeshResource> resources, String cluster) {
        List<MeshResource> sorted = new ArrayList<>(resources);
        sorted.sort(Comparator.comparing(MeshResource::key));
        List<TranslationNote> notes = new ArrayList<>();
        List<ServiceIr> services = ServiceEntryTranslator.translate(only(sorted, ServiceEntry.class), notes);
        List<BackendIr> backends = DestinationRuleTranslator.translate(services, only(sorted, DestinationRule.class),
                localityOf(only(sorted, MeshCluster.class), cluster), notes);
        Set<BackendRef> refs = new TreeSet<>();
        backends.forEach(b -> refs.add(b.ref()));
        List<RouteTableIr> tables = VirtualServiceTranslator.translate(services, refs,
                only(sorted, VirtualService.class), notes);
        List<ListenerIr> listeners = services.stream().map(s -> new ListenerIr(s.name(), s.name()))
                .sorted(Comparator.comparing(ListenerIr::name)).toList();
        return new MeshIr(listeners, tables, backends, notes);
    }

    /** The declared locality of the named cluster (the first such object by namespace), or none. */
    static LocalityIr localityOf(List<MeshCluster> clusters, String cluster) {
        return clusters.stream().filter(c -> c.metadata().name().equals(cluster)).findFirst()
                .map(c -> LocalityIr.parse(c.locality())).orElse(LocalityIr.NONE);
    }

    private static <T extends MeshResource> List<T> only(List<MeshResource> sorted, Class<T> type) {
        return sorted.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
