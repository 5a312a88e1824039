package meshlog.discovery.kube;

import java.util.Map;

/**
 * A Pod: what an endpoint takes from it (labels, service account, node) and what a named target port resolves to.
 *
 * @param containerPorts named container ports ({@code spec.containers[].ports[]} with a name), name → number
 * @param phase          {@code status.phase}: a Succeeded or Failed pod is no workload any more
 */
public record KubePod(String namespace, String name, Map<String, String> labels, String serviceAccount,
                      String nodeName, Map<String, Integer> containerPorts, String phase) {
    public KubePod {
        phase = phase == null ? "" : phase;
        labels = Map.copyOf(labels);
        serviceAccount = serviceAccount == null || serviceAccount.isEmpty() ? "default" : serviceAccount;
        nodeName = nodeName == null ? "" : nodeName;
        containerPorts = Map.copyOf(containerPorts);
    }
}
