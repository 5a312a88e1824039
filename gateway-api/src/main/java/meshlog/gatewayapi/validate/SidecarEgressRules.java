package meshlog.gatewayapi.validate;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.gatewayapi.model.ListenerPort;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.Sidecar.CaptureMode;
import meshlog.gatewayapi.model.Sidecar.EgressListener;
import meshlog.gatewayapi.model.Sidecar.EgressProxy;
import meshlog.gatewayapi.model.Sidecar.OutboundTrafficPolicy;

/** Sidecar egress listeners and outbound traffic policy (Istio's {@code ValidateSidecar}, second half). */
final class SidecarEgressRules {

    private SidecarEgressRules() {
    }

    static void check(Sidecar sc, Findings f) {
        Set<Integer> ports = new HashSet<>();
        Set<String> sockets = new HashSet<>();
        boolean catchAll = false;
        List<EgressListener> egress = sc.egress();
        for (int i = 0; i < egress.size(); i++) {
            EgressListener e = egress.get(i);
            String path = "spec.egress[" + i + "]";
            if (e.port() == null) {
                // Istio: one listener without a port (the catch-all), and it must be the last one
                if (catchAll) {
                    f.error("SC0020", path + ".port", "only one egress listener may be without a port");
                    continue;
                }
                if (i == egress.size() - 1) {
                    catchAll = true;
                } else {
                    f.error("SC0020", path + ".port", "the egress listener without a port (the catch-all) must be"
                            + " the last one");
                }
            } else {
                listener(e, path, f);
                if (e.port().number() == 0 && !sockets.add(e.bind())) {
                    f.error("SC0023", path + ".bind", "unix domain socket " + e.bind() + " is used by another"
                            + " egress listener");
                } else if (e.port().number() != 0 && !ports.add(e.port().number())) {
                    f.error("SC0010", path + ".port.number", "port " + e.port().number() + " is used by another"
                            + " egress listener; ports must be unique");
                }
            }
            hosts(e.hosts(), path, sc.metadata().namespace(), f);
        }
        if (sc.outboundTrafficPolicy() != null) {
            outbound(sc.outboundTrafficPolicy(), f);
        }
    }

    private static void listener(EgressListener e, String path, Findings f) {
        ListenerPort p = e.port();
        SidecarRules.port(p, path + ".port", f);
        if (p.number() != 0) {
            f.errorIf("SC0008", path + ".port.number", Checks.port(p.number()));
            if (!e.bind().isEmpty() && !Checks.isIp(e.bind())) {
                f.error("SC0009", path + ".bind", "\"" + e.bind() + "\" is not a valid IP address");
            }
            return;
        }
        // port 0: a listener on a unix domain socket
        if (!e.bind().startsWith(ListenerChecks.UNIX_PREFIX)) {
            f.error("SC0021", path + ".bind", "a listener with port number 0 must bind to a unix domain socket"
                    + " (unix:///path or unix://@name)");
        } else {
            f.errorIf("SC0009", path + ".bind", ListenerChecks.bind(e.bind()));
        }
        if (e.captureMode() != CaptureMode.DEFAULT && e.captureMode() != CaptureMode.NONE) {
            f.error("SC0022", path + ".captureMode", "captureMode must be DEFAULT or NONE for a unix domain socket"
                    + " listener");
        }
    }

    private static void hosts(List<String> hosts, String path, String namespace, Findings f) {
        if (hosts.isEmpty()) {
            f.error("SC0024", path + ".hosts", "an egress listener needs at least one host");
            return;
        }
        Map<String, Set<String>> byNamespace = new LinkedHashMap<>();
        for (int j = 0; j < hosts.size(); j++) {
            String host = hosts.get(j);
            String at = path + ".hosts[" + j + "]";
            int slash = host.indexOf('/');
            if (slash >= 0) {
                String ns = host.substring(0, slash).equals(".") ? namespace : host.substring(0, slash);
                String name = host.substring(slash + 1);
                Set<String> names = byNamespace.computeIfAbsent(ns, k -> new HashSet<>());
                boolean duplicate = name.equals("*") ? !names.isEmpty() : names.contains(name) || names.contains("*");
                if (duplicate) {
                    f.warning("SC0026", at, "\"" + host + "\" is already covered by another host of this listener");
                }
                names.add(name);
            }
            f.errorIf("SC0025", at, ListenerChecks.namespacedHost(host, false));
        }
        // exclusions ("~ns1/*") take hosts away from "*/*", so they are not redundant with it
        long imports = byNamespace.keySet().stream().filter(ns -> !ns.startsWith("~")).count();
        if (byNamespace.getOrDefault("*", Set.of()).contains("*") && imports != 1) {
            f.warning("SC0027", path + ".hosts", "\"*/*\" selects every service; the other hosts add nothing");
        }
    }

    private static void outbound(OutboundTrafficPolicy policy, Findings f) {
        EgressProxy proxy = policy.egressProxy();
        if (proxy == null) {
            return;
        }
        String path = "spec.outboundTrafficPolicy.egressProxy";
        if (policy.mode() != OutboundTrafficPolicy.Mode.ALLOW_ANY) {
            f.error("SC0030", path, "egressProxy is only used with mode ALLOW_ANY (mode is " + policy.mode() + ")");
            return;
        }
        String hostProblem = Checks.isIp(proxy.host())
                ? "\"" + proxy.host() + "\" is an IP address; egressProxy.host must be a service host name"
                : ServiceChecks.fqdn(proxy.host());
        f.errorIf("SC0031", path + ".host", hostProblem);
        if (proxy.port() == null) {
            f.error("SC0032", path + ".port", "egressProxy needs a port {number}");
        } else {
            f.errorIf("SC0032", path + ".port.number", Checks.port(proxy.port().number()));
        }
        if (!proxy.subset().isEmpty() && !ServiceChecks.isDnsLabel(proxy.subset())) {
            f.error("SC0033", path + ".subset", "invalid subset name \"" + proxy.subset() + "\": it must be a"
                    + " DNS-1123 label");
        }
    }
}
