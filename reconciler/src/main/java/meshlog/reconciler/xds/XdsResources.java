package meshlog.reconciler.xds;

import meshlog.xdscheck.TypeUrls;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import meshlog.reconciler.ir.MeshIr;

/**
 * The IR of one cluster as xDS resources: serialized protos by type URL and resource name, every type present
 * (possibly empty), all maps sorted. The bytes are deterministic: equal IR, equal bytes.
 */
public final class XdsResources {

    private XdsResources() {
    }

    public static Map<String, Map<String, byte[]>> build(MeshIr ir) {
        return build(ir, new ResourceMemo());
    }

    /**
     * Like {@link #build(MeshIr)}, taking what {@code memo} built already for an equal IR item (of another scope or
     * cluster of the same computation) instead of building it again: the same bytes, the same array.
     */
    public static Map<String, Map<String, byte[]>> build(MeshIr ir, ResourceMemo memo) {
        Map<String, Map<String, byte[]>> out = new TreeMap<>();
        out.put(TypeUrls.LISTENER, serialize(ir.listeners(), memo::listener));
        out.put(TypeUrls.ROUTE, serialize(ir.routeTables(), memo::route));
        out.put(TypeUrls.CLUSTER, serialize(ir.clusters(), memo::cluster));
        out.put(TypeUrls.ENDPOINT, serialize(ir.backends(), memo::endpoints));
        return Collections.unmodifiableMap(out);
    }

    private static <T> Map<String, byte[]> serialize(Iterable<T> items, Function<T, ResourceMemo.Built> builder) {
        Map<String, byte[]> out = new TreeMap<>();
        for (T item : items) {
            ResourceMemo.Built b = builder.apply(item);
            if (out.put(b.name(), b.bytes()) != null) {
                throw new IllegalStateException("two resources named " + b.name() + " of type "
                        + item.getClass().getSimpleName());
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
