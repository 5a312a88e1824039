package meshlog.reconciler.ir;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Header changes of a route, on the request to the backend and on the response to the caller.
 *
 * @param requestSet replaces the header (maps sorted by name)
 * @param requestAdd appends a value
 */
public record HeaderOpsIr(Map<String, String> requestSet, Map<String, String> requestAdd, List<String> requestRemove,
                          Map<String, String> responseSet, Map<String, String> responseAdd,
                          List<String> responseRemove) {

    public static final HeaderOpsIr NONE = new HeaderOpsIr(Map.of(), Map.of(), List.of(), Map.of(), Map.of(),
            List.of());

    public HeaderOpsIr {
        requestSet = java.util.Collections.unmodifiableMap(new TreeMap<>(requestSet));
        requestAdd = java.util.Collections.unmodifiableMap(new TreeMap<>(requestAdd));
        requestRemove = List.copyOf(requestRemove);
        responseSet = java.util.Collections.unmodifiableMap(new TreeMap<>(responseSet));
        responseAdd = java.util.Collections.unmodifiableMap(new TreeMap<>(responseAdd));
        responseRemove = List.copyOf(responseRemove);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }
}
