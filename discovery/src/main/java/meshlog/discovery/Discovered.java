package meshlog.discovery;

import java.util.List;
import java.util.SortedMap;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.endpoints.EndpointRecords;
import meshlog.configstore.endpoints.NamespaceWorkloads;

/**
 * What one cluster's view gives: its services and its namespaces' workloads, each by record key, and notes on what
 * was left out or could not be resolved (values from the cluster, to be escaped before logging).
 */
public record Discovered(SortedMap<String, DiscoveredService> services,
                         SortedMap<String, NamespaceWorkloads> workloads, List<String> notes) {
    public Discovered {
        services = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(services));
        workloads = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(workloads));
        notes = List.copyOf(notes);
    }

    /** Every record of this cluster's discovery: key → JSON bytes ({@link EndpointRecords}). */
    public SortedMap<String, byte[]> encode() {
        SortedMap<String, byte[]> out = new java.util.TreeMap<>();
        services.forEach((k, v) -> out.put(k, EndpointRecords.bytes(v)));
        workloads.forEach((k, v) -> out.put(k, EndpointRecords.bytes(v)));
        return out;
    }
}
