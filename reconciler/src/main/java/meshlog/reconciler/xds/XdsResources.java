package meshlog.reconciler.xds;

import meshlog.xdscheck.TypeUrls;
import com.google.protobuf.Message;
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
        Map<String, Map<String, byte[]>> out = new TreeMap<>();
        out.put(TypeUrls.LISTENER, serialize(ir.listeners(), l -> ListenerBuilder.build(l)));
        out.put(TypeUrls.ROUTE, serialize(ir.routeTables(), t -> RouteConfigBuilder.build(t)));
        out.put(TypeUrls.CLUSTER, serialize(ir.clusters(), c -> ClusterBuilder.build(c)));
        out.put(TypeUrls.ENDPOINT, serialize(ir.backends(), b -> EndpointBuilder.build(b)));
        return Collections.unmodifiableMap(out);
    }

    private static <T> Map<String, byte[]> serialize(Iterable<T> items, Function<T, Message> builder) {
        Map<String, byte[]> out = new TreeMap<>();
        for (T item : items) {
            Message m = builder.apply(item);
            String name = ResourceNames.of(m);
            if (out.put(name, Protos.bytes(m)) != null) {
                throw new IllegalStateException("two resources named " + name + " of type "
                        + m.getDescriptorForType().getFullName());
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
