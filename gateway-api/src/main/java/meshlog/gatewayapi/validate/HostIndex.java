package meshlog.gatewayapi.validate;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.model.KubeService;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.parse.ParsedResource;

/**
 * The hosts the repository itself defines: ServiceEntry hosts, and Kubernetes Services kept in the repository.
 * Most Services live only in the clusters, so a host missing here may still exist in a cluster's registry: that is
 * why a missing host is a warning, not an error.
 */
final class HostIndex {

    private final Set<String> exact = new HashSet<>();
    private final Set<String> wildcardSuffixes = new HashSet<>();

    static HostIndex of(List<ParsedResource> resources) {
        HostIndex index = new HostIndex();
        for (ParsedResource p : resources) {
            if (p.resource() instanceof ServiceEntry se) {
                se.hosts().forEach(index::add);
            } else if (p.resource() instanceof KubeService svc) {
                index.add(Hosts.fqdn(svc.metadata().name(), svc.metadata().namespace()));
            }
        }
        return index;
    }

    private void add(String host) {
        String h = normal(host);
        if (h.startsWith("*.")) {
            wildcardSuffixes.add(h.substring(1));
        } else {
            exact.add(h);
        }
    }

    /** Whether {@code host} (a name or a wildcard) overlaps anything defined. */
    boolean defines(String host) {
        String h = normal(host);
        if (h.equals("*")) {
            return !exact.isEmpty() || !wildcardSuffixes.isEmpty();
        }
        if (exact.contains(h)) {
            return true;
        }
        for (String suffix : wildcardSuffixes) {
            if (h.endsWith(suffix)) {
                return true;
            }
        }
        if (h.startsWith("*.")) {
            String suffix = h.substring(1);
            return exact.stream().anyMatch(e -> e.endsWith(suffix));
        }
        return false;
    }

    private static String normal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
