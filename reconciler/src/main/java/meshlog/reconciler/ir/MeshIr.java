package meshlog.reconciler.ir;

import java.util.List;

/**
 * Everything one proxy scope of one cluster is served, before it becomes xDS.
 *
 * @param listeners sorted by name
 * @param routeTables sorted by name
 * @param clusters sorted by name: service backends and, for Envoy, Istio's fixed clusters
 * @param notes what translation skipped or chose, and why, in the order it was found
 */
public record MeshIr(List<ListenerIr> listeners, List<RouteTableIr> routeTables, List<ClusterIr> clusters,
                     List<TranslationNote> notes) {
    public MeshIr {
        listeners = List.copyOf(listeners);
        routeTables = List.copyOf(routeTables);
        clusters = List.copyOf(clusters);
        notes = List.copyOf(notes);
    }

    /** The service backends among the clusters whose endpoints are served over EDS. */
    public List<BackendIr> backends() {
        return clusters.stream().filter(BackendIr.class::isInstance).map(BackendIr.class::cast)
                .filter(b -> b.source() == EndpointSource.EDS).toList();
    }
}
