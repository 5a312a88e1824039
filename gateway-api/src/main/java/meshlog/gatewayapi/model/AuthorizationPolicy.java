package meshlog.gatewayapi.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio {@code AuthorizationPolicy}: who may call what. Istio evaluates CUSTOM policies first, then DENY, then
 * ALLOW; when ALLOW policies apply to a workload, a request no ALLOW rule matches is denied. A rule matches when
 * any of its {@code from} entries, any of its {@code to} entries and all of its {@code when} conditions match; a
 * rule with none of them matches every request.
 *
 * @param provider the extension provider of a CUSTOM policy; null when no {@code provider} block is given
 */
public record AuthorizationPolicy(ObjectMeta metadata, PolicyTarget target, Action action, Provider provider,
                                  List<Rule> rules) implements MeshResource {

    /** Istio {@code AuthorizationPolicy.Action}; ALLOW when not given. AUDIT never changes the decision. */
    public enum Action { ALLOW, DENY, AUDIT, CUSTOM }

    /** The external authorizer of a CUSTOM policy, by its name in the mesh config's extension providers. */
    public record Provider(String name) {
        public Provider {
            name = name == null ? "" : name;
        }
    }

    /** {@code from} is the list of {@code from[].source}, {@code to} of {@code to[].operation}. */
    public record Rule(List<Source> from, List<Operation> to, List<Condition> when) {
        public Rule {
            from = List.copyOf(from);
            to = List.copyOf(to);
            when = List.copyOf(when);
        }
    }

    /**
     * Istio {@code Source}: the fields of one source are ANDed, the values of one field ORed; each {@code not*}
     * field excludes what it lists. Values allow a {@code *} prefix or suffix wildcard (not serviceAccounts).
     */
    public record Source(List<String> principals, List<String> notPrincipals, List<String> requestPrincipals,
                         List<String> notRequestPrincipals, List<String> namespaces, List<String> notNamespaces,
                         List<String> serviceAccounts, List<String> notServiceAccounts, List<String> ipBlocks,
                         List<String> notIpBlocks, List<String> remoteIpBlocks, List<String> notRemoteIpBlocks,
                         List<String> trustDomains, List<String> notTrustDomains) {
        public Source {
            principals = List.copyOf(principals);
            notPrincipals = List.copyOf(notPrincipals);
            requestPrincipals = List.copyOf(requestPrincipals);
            notRequestPrincipals = List.copyOf(notRequestPrincipals);
            namespaces = List.copyOf(namespaces);
            notNamespaces = List.copyOf(notNamespaces);
            serviceAccounts = List.copyOf(serviceAccounts);
            notServiceAccounts = List.copyOf(notServiceAccounts);
            ipBlocks = List.copyOf(ipBlocks);
            notIpBlocks = List.copyOf(notIpBlocks);
            remoteIpBlocks = List.copyOf(remoteIpBlocks);
            notRemoteIpBlocks = List.copyOf(notRemoteIpBlocks);
            trustDomains = List.copyOf(trustDomains);
            notTrustDomains = List.copyOf(notTrustDomains);
        }

        /** Every field by its YAML name, in Istio's order. */
        public Map<String, List<String>> fields() {
            Map<String, List<String>> m = new LinkedHashMap<>();
            m.put("principals", principals);
            m.put("notPrincipals", notPrincipals);
            m.put("requestPrincipals", requestPrincipals);
            m.put("notRequestPrincipals", notRequestPrincipals);
            m.put("namespaces", namespaces);
            m.put("notNamespaces", notNamespaces);
            m.put("serviceAccounts", serviceAccounts);
            m.put("notServiceAccounts", notServiceAccounts);
            m.put("ipBlocks", ipBlocks);
            m.put("notIpBlocks", notIpBlocks);
            m.put("remoteIpBlocks", remoteIpBlocks);
            m.put("notRemoteIpBlocks", notRemoteIpBlocks);
            m.put("trustDomains", trustDomains);
            m.put("notTrustDomains", notTrustDomains);
            return m;
        }
    }

    /** Istio {@code Operation}: as {@link Source}, fields ANDed and values ORed; ports are numbers as strings. */
    public record Operation(List<String> hosts, List<String> notHosts, List<String> ports, List<String> notPorts,
                            List<String> methods, List<String> notMethods, List<String> paths,
                            List<String> notPaths) {
        public Operation {
            hosts = List.copyOf(hosts);
            notHosts = List.copyOf(notHosts);
            ports = List.copyOf(ports);
            notPorts = List.copyOf(notPorts);
            methods = List.copyOf(methods);
            notMethods = List.copyOf(notMethods);
            paths = List.copyOf(paths);
            notPaths = List.copyOf(notPaths);
        }

        /** Every field by its YAML name, in Istio's order. */
        public Map<String, List<String>> fields() {
            Map<String, List<String>> m = new LinkedHashMap<>();
            m.put("hosts", hosts);
            m.put("notHosts", notHosts);
            m.put("ports", ports);
            m.put("notPorts", notPorts);
            m.put("methods", methods);
            m.put("notMethods", notMethods);
            m.put("paths", paths);
            m.put("notPaths", notPaths);
            return m;
        }
    }

    /** Istio {@code Condition}: the attribute {@code key} has one of {@code values} and none of {@code notValues}. */
    public record Condition(String key, List<String> values, List<String> notValues) {
        public Condition {
            key = key == null ? "" : key;
            values = List.copyOf(values);
            notValues = List.copyOf(notValues);
        }
    }

    public AuthorizationPolicy {
        action = action == null ? Action.ALLOW : action;
        rules = List.copyOf(rules);
    }

    @Override
    public String kind() {
        return "AuthorizationPolicy";
    }
}
