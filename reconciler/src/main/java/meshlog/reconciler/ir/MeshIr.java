package meshlog.reconciler.ir;

import java.util.List;

/**
 * Everything one cluster's clients are served, before it becomes xDS.
 *
 * @param listeners one per service host and port, sorted by name
 * @param routeTables one per listener, sorted by name
 * @param backends one per service host, port and subset, sorted by cluster name
 * @param notes what translation skipped or chose, and why, in the order it was found
 */
public record MeshIr(List<ListenerIr> listeners, List<RouteTableIr> routeTables, List<BackendIr> backends,
                     List<TranslationNote> notes) {
    public MeshIr {
        listeners = List.copyOf(listeners);
        routeTables = List.copyOf(routeTables);
        backends = List.copyOf(backends);
        notes = List.copyOf(notes);
    }
}
