package meshlog.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SortedMap;
import java.util.TreeMap;
import meshlog.discovery.model.DiscoveredService;
import meshlog.discovery.model.EndpointKeys;
import meshlog.discovery.model.NamespaceWorkloads;

/**
 * The JSON of {@code meshlog.endpoints} values: record fields in declaration order, map entries sorted by key, so
 * the same service gives the same bytes in every process (and an unchanged service is not written again).
 */
public final class EndpointRecords {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private EndpointRecords() {
    }

    /** Every record of one cluster's discovery: key → JSON bytes. */
    public static SortedMap<String, byte[]> encode(Discovered d) {
        SortedMap<String, byte[]> out = new TreeMap<>();
        d.services().forEach((k, v) -> out.put(k, bytes(v)));
        d.workloads().forEach((k, v) -> out.put(k, bytes(v)));
        return out;
    }

    public static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A service record's value. */
    public static DiscoveredService service(byte[] value) {
        return read(value, DiscoveredService.class);
    }

    /** A {@code _workloads} record's value. */
    public static NamespaceWorkloads workloads(byte[] value) {
        return read(value, NamespaceWorkloads.class);
    }

    /** Whether {@code key} names a namespace's workloads rather than a service. */
    public static boolean isWorkloads(String key) {
        return key.endsWith("/" + EndpointKeys.WORKLOADS);
    }

    private static <T> T read(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " record: " + e.getMessage(), e);
        }
    }
}
