package meshlog.configstore.endpoints;

import java.util.List;

/**
 * The workloads of one namespace: every distinct (pod labels, service account) of its live pods, with how many
 * pods have it. Translation turns them into proxy scopes. Value of the record {@code cluster/namespace/_workloads}.
 */
public record NamespaceWorkloads(int schemaVersion, String cluster, String namespace, List<Workload> workloads,
                                 int workloadsLeftOut) {
    public NamespaceWorkloads {
        workloads = List.copyOf(workloads);
    }

    public String key() {
        return EndpointKeys.workloads(cluster, namespace);
    }

    /** One distinct workload; sorted by labels, then service account. */
    public record Workload(java.util.Map<String, String> labels, String serviceAccount, int pods) {
        public Workload {
            labels = java.util.Map.copyOf(labels);
        }
    }
}
