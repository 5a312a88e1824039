package meshlog.gatewayapi.validate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshlog.gatewayapi.model.LoadBalancerSettings;
import meshlog.gatewayapi.model.LoadBalancerSettings.ConsistentHash;
import meshlog.gatewayapi.model.LoadBalancerSettings.Failover;
import meshlog.gatewayapi.model.LoadBalancerSettings.HttpCookie;
import meshlog.gatewayapi.model.LoadBalancerSettings.LocalityLbSetting;
import meshlog.gatewayapi.model.LoadBalancerSettings.Maglev;
import meshlog.gatewayapi.model.LoadBalancerSettings.Warmup;
import meshlog.gatewayapi.model.TrafficPolicy.OutlierDetection;

/**
 * A DestinationRule's load balancer settings (Istio's validateLoadBalancer and agent.ValidateLocalityLbSetting, and
 * the CRD's one-of and range rules).
 */
final class LoadBalancerRules {

    static final String ONE_OF = "DR0016";
    private static final long MAGLEV_LIMIT = 5_000_011L;
    private static final Set<String> TOPOLOGY_LABELS = Set.of("topology.kubernetes.io/region",
            "topology.kubernetes.io/zone", "topology.istio.io/subzone");

    private LoadBalancerRules() {
    }

    /** @param outlier the outlier detection of the same policy (failover needs one) */
    static void check(LoadBalancerSettings lb, OutlierDetection outlier, String path, Findings f) {
        if (lb == null) {
            return;
        }
        if (lb.simple() != null && lb.consistentHash() != null) {
            f.error(ONE_OF, path + ".consistentHash", "only one of simple or consistentHash may be set");
        }
        if (lb.simple() == LoadBalancerSettings.Simple.LEAST_CONN) {
            f.warning("DR0031", path + ".simple", "LEAST_CONN is deprecated; use LEAST_REQUEST");
        }
        consistentHash(lb.consistentHash(), path + ".consistentHash", f);
        if (lb.localityLbSetting() != null && lb.zoneAwareLbSetting() != null) {
            f.error(ONE_OF, path + ".zoneAwareLbSetting", "only one of localityLbSetting or zoneAwareLbSetting "
                    + "may be set");
        }
        locality(lb.localityLbSetting(), outlier, path + ".localityLbSetting", f);
        if (lb.zoneAwareLbSetting() != null) {
            TrafficPolicyRules.nonNegative(lb.zoneAwareLbSetting().minClusterSize(),
                    path + ".zoneAwareLbSetting.minClusterSize", f);
        }
        if (lb.warmupDurationSecs() != null && lb.warmup() != null) {
            f.error(ONE_OF, path + ".warmup", "only one of warmupDurationSecs or warmup may be set "
                    + "(warmupDurationSecs is deprecated)");
        }
        TrafficPolicyRules.duration(lb.warmupDurationSecs(), path + ".warmupDurationSecs", f);
        warmup(lb.warmup(), path + ".warmup", f);
    }

    private static void consistentHash(ConsistentHash hash, String path, Findings f) {
        if (hash == null) {
            return;
        }
        if (hash.hashKey() instanceof HttpCookie cookie) {
            cookie(cookie, path + ".httpCookie", f);
        }
        if (hash.minimumRingSize() != null && hash.minimumRingSize() != 0) {
            f.warning("DR0034", path + ".minimumRingSize", "minimumRingSize is deprecated; use "
                    + "ringHash.minimumRingSize");
            if (hash.hashAlgorithm() != null) {
                f.error("DR0035", path + ".minimumRingSize", "only one of minimumRingSize or ringHash/maglev "
                        + "may be set");
            }
        }
        if (hash.hashAlgorithm() instanceof Maglev maglev) {
            long size = maglev.tableSize() == null ? 0 : maglev.tableSize();
            String at = path + ".maglev.tableSize";
            if (size == 0) {
                f.error("DR0036", at, "tableSize must be set for maglev");
            } else if (size < 0 || size >= MAGLEV_LIMIT) {
                f.error("DR0036", at, "tableSize must be less than " + MAGLEV_LIMIT + " for maglev, got " + size);
            } else if (!ServiceChecks.isPrime(size)) {
                f.error("DR0036", at, "tableSize must be a prime number for maglev, got " + size);
            }
        } else if (hash.hashAlgorithm() instanceof LoadBalancerSettings.RingHash ring) {
            TrafficPolicyRules.nonNegative(ring.minimumRingSize(), path + ".ringHash.minimumRingSize", f);
        }
    }

    private static void cookie(HttpCookie cookie, String path, Findings f) {
        if (cookie.name().isEmpty()) {
            f.error("DR0032", path + ".name", "name is required for httpCookie");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < cookie.attributes().size(); i++) {
            String name = cookie.attributes().get(i).name();
            String at = path + ".attributes[" + i + "].name";
            if (name.isEmpty()) {
                f.error("DR0033", at, "a cookie attribute needs a name");
            } else if (!names.add(name)) {
                f.error("DR0033", at, "cookie attribute \"" + name + "\" is listed twice");
            }
        }
    }

    private static void warmup(Warmup warmup, String path, Findings f) {
        if (warmup == null) {
            return;
        }
        if (warmup.duration() == null) {
            f.error("DR0037", path + ".duration", "warmup needs a duration");
        }
        TrafficPolicyRules.duration(warmup.duration(), path + ".duration", f);
        if (warmup.minimumPercent() != null) {
            f.errorIf("DR0038", path + ".minimumPercent", Checks.percent(warmup.minimumPercent()));
        }
        if (warmup.aggression() != null && warmup.aggression() <= 0) {
            f.error("DR0038", path + ".aggression", "must be greater than 0, got " + warmup.aggression());
        }
    }

    /** Istio's agent.ValidateLocalityLbSetting: it stops at the first structural problem, as Istio does. */
    private static void locality(LocalityLbSetting lb, OutlierDetection outlier, String path, Findings f) {
        if (lb == null) {
            return;
        }
        if (!lb.distribute().isEmpty() && !lb.failover().isEmpty()) {
            f.error("DR0039", path, "distribute and failover cannot be set together");
            return;
        }
        if (!lb.failover().isEmpty()) {
            for (int i = 0; i < lb.failoverPriority().size(); i++) {
                if (TOPOLOGY_LABELS.contains(lb.failoverPriority().get(i))) {
                    f.error("DR0039", path + ".failoverPriority[" + i + "]", "failover cannot be set together "
                            + "with the topology label " + lb.failoverPriority().get(i) + " in failoverPriority");
                    return;
                }
            }
        }
        if (!distribute(lb, path, f)) {
            return;
        }
        if ((!lb.failover().isEmpty() || !lb.failoverPriority().isEmpty()) && outlier == null) {
            f.warning("DR0043", path, "failover needs an outlierDetection policy to notice unhealthy endpoints");
        }
        failover(lb.failover(), path + ".failover", f);
    }

    /** The distribute entries; false when a problem ends the checks (as in Istio). */
    private static boolean distribute(LocalityLbSetting lb, String path, Findings f) {
        List<String> from = new ArrayList<>();
        for (int i = 0; i < lb.distribute().size(); i++) {
            var d = lb.distribute().get(i);
            String at = path + ".distribute[" + i + "]";
            from.add(d.from());
            long total = 0;
            for (var e : d.to().entrySet()) {
                if (e.getValue() <= 0 || e.getValue() > 100) {
                    f.error("DR0040", at + ".to." + e.getKey(), "locality weight must be in 1..100, got "
                            + e.getValue());
                    return false;
                }
                total += e.getValue();
            }
            if (total != 100) {
                f.error("DR0040", at + ".to", "the locality weights must add up to 100, got " + total);
                return false;
            }
            f.errorIf("DR0041", at + ".to", ServiceChecks.localities(new ArrayList<>(d.to().keySet())));
        }
        f.errorIf("DR0041", path + ".distribute", ServiceChecks.localities(from));
        return true;
    }

    private static void failover(List<Failover> failover, String path, Findings f) {
        for (int i = 0; i < failover.size(); i++) {
            Failover o = failover.get(i);
            String at = path + "[" + i + "]";
            if (o.from().equals(o.to())) {
                f.error("DR0042", at, "failover from and to must be different regions");
            }
            if (o.from().contains("/") || o.to().contains("/")) {
                f.error("DR0042", at, "failover names regions only (no zone or subzone)");
            }
            if (o.from().contains("*") || o.to().contains("*")) {
                f.error("DR0042", at, "a failover region must not contain the '*' wildcard");
            }
        }
    }
}
