package meshlog.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import meshlog.discovery.kube.KubePod;
import meshlog.configstore.endpoints.NamespaceWorkloads;
import meshlog.configstore.endpoints.NamespaceWorkloads.Workload;

/** The live pods of a cluster → per namespace, each distinct (labels, service account) and its pod count. */
final class Workloads {

    private Workloads() {
    }

    static SortedMap<String, NamespaceWorkloads> byNamespace(String cluster, List<KubePod> pods,
                                                             DiscoveryLimits limits, List<String> notes) {
        // namespace → (labels as a sorted string + service account) → workload so far
        Map<String, TreeMap<String, Workload>> grouped = new TreeMap<>();
        for (KubePod p : pods) {
            if (p.phase().equals("Succeeded") || p.phase().equals("Failed")) {
                continue;
            }
            TreeMap<String, String> labels = new TreeMap<>(p.labels());
            while (labels.size() > limits.maxLabels()) {
                labels.pollLastEntry();
            }
            String id = labels + "\u0000" + p.serviceAccount();
            grouped.computeIfAbsent(p.namespace(), n -> new TreeMap<>())
                    .merge(id, new Workload(labels, p.serviceAccount(), 1),
                            (a, b) -> new Workload(a.labels(), a.serviceAccount(), a.pods() + 1));
        }
        SortedMap<String, NamespaceWorkloads> out = new TreeMap<>();
        grouped.forEach((ns, byId) -> {
            List<Workload> all = new ArrayList<>(byId.values());
            all.sort(Comparator.comparing((Workload w) -> new TreeMap<>(w.labels()).toString())
                    .thenComparing(Workload::serviceAccount));
            int leftOut = Math.max(0, all.size() - limits.maxWorkloadsPerNamespace());
            if (leftOut > 0) {
                notes.add(ns + ": " + leftOut + " workloads left out (limit " + limits.maxWorkloadsPerNamespace() + ")");
                all = all.subList(0, limits.maxWorkloadsPerNamespace());
            }
            NamespaceWorkloads w = new NamespaceWorkloads(1, cluster, ns, all, leftOut);
            out.put(w.key(), w);
        });
        return out;
    }
}
