package meshlog.gatewayapi.validate;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.ServiceEntry.Resolution;
import meshlog.gatewayapi.parse.ParsedResource;

/**
 * ServiceEntry rules: Istio's ValidateServiceEntry and the CRD's rules (istio-facts §2.1 rules 42-43). What
 * meshlog's reconciler does not apply is reported by {@link AppliedFields} (ML0011).
 */
final class ServiceEntryRules {

    private ServiceEntryRules() {
    }

    static void check(ParsedResource p, ServiceEntry se, List<Diagnostic> out) {
        Findings f = new Findings(p, out);
        sizes(se, f);
        hosts(se, f);
        addresses(se, f);
        Set<String> portNames = ports(se, f);
        workloadSelector(se, f);
        switch (se.resolution()) {
            case NONE -> {
                if (!se.endpoints().isEmpty()) {
                    f.error("SE0019", "spec.endpoints", "no endpoints may be given for resolution NONE");
                }
            }
            case STATIC -> staticEndpoints(se, portNames, f);
            case DNS, DNS_ROUND_ROBIN -> dnsEndpoints(se, portNames, f);
            case DYNAMIC_DNS -> DynamicDnsRules.check(se, f);
        }
        multipleHosts(se, f);
        Object[] exportTo = Checks.exportTo(se.exportTo(), se.metadata().namespace(), true);
        if (exportTo != null) {
            f.error("SE0027", "spec.exportTo[" + exportTo[0] + "]", (String) exportTo[1]);
        }
    }

    /** The CRD's list limits (maxItems), which keep one object from growing the proxies' config without bound. */
    private static void sizes(ServiceEntry se, Findings f) {
        maxItems(se.hosts().size(), 256, "spec.hosts", f);
        maxItems(se.addresses().size(), 256, "spec.addresses", f);
        maxItems(se.ports().size(), 256, "spec.ports", f);
        maxItems(se.endpoints().size(), 4096, "spec.endpoints", f);
    }

    private static void maxItems(int size, int max, String path, Findings f) {
        if (size > max) {
            f.error("SE0034", path, "at most " + max + " items are allowed, got " + size);
        }
    }

    private static void hosts(ServiceEntry se, Findings f) {
        if (se.hosts().isEmpty()) {
            f.error("SE0001", "spec.hosts", "at least one host is required");
        }
        for (int i = 0; i < se.hosts().size(); i++) {
            String host = se.hosts().get(i);
            String path = "spec.hosts[" + i + "]";
            if (host.equals("*")) {
                f.error("SE0002", path, "\"*\" is not allowed: a ServiceEntry cannot capture every host");
                continue;
            }
            f.errorIf("SE0008", path, ServiceChecks.wildcardDomain(host));
            String partial = ServiceChecks.partialWildcard(host);
            if (partial != null) {
                f.warning("SE0009", path, partial + ": a wildcard should be the whole first label (\"*.\")");
            }
        }
    }

    private static void addresses(ServiceEntry se, Findings f) {
        boolean cidr = false;
        for (int i = 0; i < se.addresses().size(); i++) {
            String address = se.addresses().get(i);
            cidr |= address.contains("/");
            f.errorIf("SE0010", "spec.addresses[" + i + "]", Checks.ipOrCidr(address));
        }
        if (cidr && se.resolution() != Resolution.NONE && se.resolution() != Resolution.STATIC) {
            f.error("SE0011", "spec.addresses", "CIDR addresses are allowed only for NONE/STATIC resolution, not "
                    + se.resolution());
        }
    }

    /** The port checks; returns the port names (the names endpoints may use). */
    private static Set<String> ports(ServiceEntry se, Findings f) {
        Set<Integer> numbers = new HashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < se.ports().size(); i++) {
            ServiceEntry.Port port = se.ports().get(i);
            String path = "spec.ports[" + i + "]";
            if (port.number() < 1 || port.number() > 65535) {
                f.error("SE0003", path + ".number", "must be 1..65535, got " + port.number());
            } else if (!numbers.add(port.number())) {
                f.error("SE0004", path + ".number", "port " + port.number() + " is repeated");
            }
            if (!names.add(port.name())) {
                f.error("SE0004", path + ".name", "port name \"" + port.name() + "\" is repeated");
            }
            if (!ServiceChecks.isDnsLabel(port.name())) {
                f.error("SE0012", path + ".name", port.name().isEmpty() ? "a port needs a name"
                        : "invalid port name \"" + port.name() + "\": must be a DNS-1123 label");
            }
            if (!ServiceChecks.isKnownProtocol(port.protocol())) {
                f.error("SE0005", path + ".protocol", "unknown protocol \"" + port.protocol() + "\"; allowed: "
                        + String.join(", ", ServiceChecks.PROTOCOLS.stream().sorted().toList()));
            }
            if (port.targetPort() != 0) {
                f.errorIf("SE0003", path + ".targetPort", Checks.port(port.targetPort()));
                if (se.resolution() == Resolution.NONE) {
                    f.warning("SE0013", path + ".targetPort", "targetPort has no effect with resolution NONE");
                }
            }
            if (se.addresses().isEmpty() && (port.protocol().isEmpty() || port.protocol().equals("TCP"))) {
                f.warning("SE0014", path + ".protocol", "a TCP (or unset) protocol port needs addresses: without "
                        + "a VIP, TCP traffic to the hosts cannot be told apart");
            }
        }
        return names;
    }

    private static void workloadSelector(ServiceEntry se, Findings f) {
        if (se.workloadSelector() == null) {
            return;
        }
        String path = "spec.workloadSelector";
        if (!se.endpoints().isEmpty()) {
            f.error("SE0015", path, "only one of workloadSelector or endpoints may be set");
        }
        WorkloadSelectors.check(se.workloadSelector().labels(), path + ".labels", "SE0016", "SE0017", f);
        if (se.resolution() != Resolution.STATIC) {
            f.warning("SE0018", path, "workloadSelector should not be set with resolution " + se.resolution()
                    + ": only STATIC resolution uses the selected workloads' addresses");
        }
    }

    private static void staticEndpoints(ServiceEntry se, Set<String> portNames, Findings f) {
        if (se.endpoints().isEmpty() && se.workloadSelector() == null) {
            f.warning("SE0007", "spec.endpoints",
                    "resolution STATIC with no endpoints: the service has nowhere to send traffic");
        }
        for (int i = 0; i < se.endpoints().size(); i++) {
            EndpointRules.check(se.endpoints().get(i), "spec.endpoints[" + i + "]", portNames, false,
                    EndpointRules.SERVICE_ENTRY, f);
        }
    }

    private static void dnsEndpoints(ServiceEntry se, Set<String> portNames, Findings f) {
        if (se.endpoints().isEmpty()) {
            for (int i = 0; i < se.hosts().size(); i++) {
                if (ServiceChecks.fqdn(se.hosts().get(i)) != null && !se.hosts().get(i).equals("*")) {
                    f.error("SE0020", "spec.hosts[" + i + "]", "hosts must be FQDNs (no wildcard) when no "
                            + "endpoints are given for resolution " + se.resolution() + ": they are resolved");
                }
            }
        }
        if (se.resolution() == Resolution.DNS_ROUND_ROBIN && se.endpoints().size() > 1) {
            f.error("SE0021", "spec.endpoints", "resolution DNS_ROUND_ROBIN takes at most 1 endpoint, got "
                    + se.endpoints().size());
        }
        for (int i = 0; i < se.endpoints().size(); i++) {
            var ep = se.endpoints().get(i);
            String path = "spec.endpoints[" + i + "]";
            if (ep.address().isEmpty()) {
                f.error("SE0006", path + ".address", "an endpoint needs an address to resolve");
            } else if (ep.address().startsWith("unix://")) {
                f.error("SE0022", path + ".address", "a unix socket cannot be resolved with DNS; use STATIC");
            } else {
                EndpointRules.check(ep, path, portNames, true, EndpointRules.SERVICE_ENTRY, f);
            }
        }
        if (!se.addresses().isEmpty() && se.hosts().size() > 1
                && se.ports().stream().anyMatch(p -> ServiceChecks.isTcp(p.protocol()))) {
            f.warning("SE0026", "spec.hosts", "more than one host together with addresses and a TCP port: the "
                    + "hosts cannot be told apart");
        }
    }

    /** Plain TCP cannot tell hosts apart (HTTP has the authority, TLS the SNI), unless the hosts are ignored. */
    private static void multipleHosts(ServiceEntry se, Findings f) {
        if (se.resolution() == Resolution.NONE || se.hosts().size() < 2) {
            return;
        }
        for (int i = 0; i < se.ports().size(); i++) {
            String protocol = se.ports().get(i).protocol();
            if (!ServiceChecks.isHttp(protocol) && !ServiceChecks.isTls(protocol)) {
                f.error("SE0025", "spec.ports[" + i + "].protocol", "more than one host with a non-HTTP, "
                        + "non-TLS port (" + (protocol.isEmpty() ? "unset" : protocol) + ") and resolution "
                        + se.resolution() + ": the hosts cannot be told apart");
                return;
            }
        }
    }
}
