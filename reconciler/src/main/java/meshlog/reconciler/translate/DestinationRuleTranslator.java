package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.DestinationRule.Subset;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.BackendRef;
import meshlog.reconciler.ir.ClusterPolicyIr;
import meshlog.reconciler.ir.EndpointSource;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.UpstreamTlsIr;
import meshlog.reconciler.ir.WorkloadIr;

/**
 * Services and DestinationRules to backends: for every service port, one backend for the whole service and one
 * per subset of the DestinationRule for its host.
 *
 * <ul>
 *   <li>The rule's host is resolved with {@link Hosts#fqdn} against the rule's namespace and compared with the
 *       service host as written; wildcard hosts match nothing yet.</li>
 *   <li>When several rules name the same host, the first by namespace/name wins and the others are noted (Istio
 *       would pick by the client's namespace, which a shared proxyless snapshot does not have). Envoy sidecars and
 *       gateways are given one rule per host, the one {@link DestinationRuleLookup} finds for their namespace.</li>
 *   <li>A subset holds the workloads whose labels contain all of the subset's labels.</li>
 *   <li>Each backend's traffic policy is the rule's merged with the subset's ({@link TrafficPolicyTranslator});
 *       without a {@code tls}, Istio's auto mTLS. ISTIO_MUTUAL (written or auto) checks the peer's identity against
 *       the SPIFFE identities of the service's workloads, unless the rule names SANs itself.</li>
 *   <li>Endpoints are grouped by locality with {@link LocalityPolicy} (failover towards the cluster's locality,
 *       only with outlier detection).</li>
 * </ul>
 */
final class DestinationRuleTranslator {

    private DestinationRuleTranslator() {
    }

    /**
     * @param services sorted by host and port
     * @param rules sorted by namespace/name
     * @param local the locality of the cluster the snapshot is for, or {@link LocalityIr#NONE}
     * @return sorted by cluster name
     */
    static List<BackendIr> translate(List<ServiceIr> services, List<DestinationRule> rules, LocalityIr local,
                                     List<TranslationNote> notes) {
        Map<String, DestinationRule> ruleByHost = rulesByHost(services, rules, notes);
        List<BackendIr> out = new ArrayList<>();
        for (ServiceIr service : services) {
            DestinationRule rule = ruleByHost.get(service.host());
            out.add(backend(service, "", service.workloads(), local,
                    TrafficPolicyTranslator.policy(rule, null, service.port())));
            if (rule == null) {
                continue;
            }
            for (Subset subset : rule.subsets()) {
                if (subset.name().isEmpty()) {
                    continue; // rejected by validation; nothing could refer to it
                }
                List<WorkloadIr> selected = service.workloads().stream()
                        .filter(w -> w.labels().entrySet().containsAll(subset.labels().entrySet()))
                        .toList();
                out.add(backend(service, subset.name(), selected, local,
                        TrafficPolicyTranslator.policy(rule, subset, service.port())));
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /** The rules {@link #translate} applies (one per declared host, the first by namespace/name), by key. */
    static List<DestinationRule> chosen(List<ServiceIr> services, List<DestinationRule> rules) {
        List<DestinationRule> out = new ArrayList<>(rulesByHost(services, rules, new ArrayList<>()).values());
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    private static BackendIr backend(ServiceIr service, String subset, List<WorkloadIr> workloads, LocalityIr local,
                                     ClusterPolicyIr policy) {
        // Istio checks the peer against the identities of the whole service, subsets included.
        List<String> identities = service.workloads().stream().map(WorkloadIr::identity).filter(i -> !i.isEmpty())
                .distinct().sorted().toList();
        policy = policy.withTls(policy.tls() == null ? UpstreamTlsIr.autoMtls(identities)
                : policy.tls().withDefaultSans(identities));
        // Envoy refuses a LOGICAL_DNS cluster without exactly one endpoint; with none, resolving all of none
        // (STRICT_DNS) is the same empty cluster.
        EndpointSource source = service.source() == EndpointSource.LOGICAL_DNS && workloads.isEmpty()
                ? EndpointSource.STRICT_DNS : service.source();
        return new BackendIr(new BackendRef(service.host(), service.port(), subset),
                LocalityPolicy.group(workloads, local, policy.outlier() != null), false, policy, source);
    }

    private static Map<String, DestinationRule> rulesByHost(List<ServiceIr> services, List<DestinationRule> rules,
                                                            List<TranslationNote> notes) {
        Set<String> hosts = new TreeSet<>();
        services.forEach(s -> hosts.add(s.host()));
        Map<String, DestinationRule> byHost = new LinkedHashMap<>();
        for (DestinationRule rule : rules) {
            String origin = rule.key().toString();
            String host = Hosts.fqdn(rule.host(), rule.metadata().namespace());
            DestinationRule first = byHost.get(host);
            if (first != null) {
                boolean sameNamespace = first.metadata().namespace().equals(rule.metadata().namespace());
                notes.add(new TranslationNote(origin, "host " + host + " already has " + first.key()
                        + " (first by namespace/name wins); this rule is ignored" + (sameNamespace ? ""
                        : " by proxyless gRPC (a sidecar or gateway takes its own namespace's, the service's or"
                        + " istio-system's)")));
            } else if (!hosts.contains(host)) {
                notes.add(new TranslationNote(origin, "spec.host: no ServiceEntry or Kubernetes Service declares " + host
                        + "; its subsets are not served"));
            } else {
                byHost.put(host, rule);
            }
        }
        return byHost;
    }
}
