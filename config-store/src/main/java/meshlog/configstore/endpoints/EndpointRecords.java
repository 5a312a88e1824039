package meshlog.configstore.endpoints;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON of {@code meshlog.endpoints} values: record fields in declaration order, map entries sorted by key, so
 * the same service gives the same bytes in every process (and an unchanged service is not written again). Discovery
 * writes them, the reconciler reads them.
 */
public final class EndpointRecords {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private EndpointRecords() {
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
