package meshlog.reconciler.translate;

import java.util.List;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.Sidecar.EgressListener;
import meshlog.gatewayapi.model.Sidecar.OutboundTrafficPolicy;
import meshlog.reconciler.ir.ServiceIr;

/**
 * Which services a proxy's {@code Sidecar} lets it see ({@code egress[].hosts}), and what happens to the rest
 * ({@code outboundTrafficPolicy}), as Istio's SidecarScope decides:
 *
 * <ul>
 *   <li>no Sidecar, or one without egress listeners: every service ({@code *}/{@code *});</li>
 *   <li>a host {@code ns/dnsName} admits a service declared in namespace {@code ns} ({@code *}: any, {@code .}:
 *       the Sidecar's own) whose host is {@code dnsName}, or ends with the {@code .suffix} of
 *       {@code *.suffix}, or any host for {@code *}; {@code ~/dnsName} and {@code ~ns/dnsName} take matching
 *       services out again (so {@code ~/*} admits nothing);</li>
 *   <li>a service port P is judged by the egress listeners whose {@code port.number} is P when there are such,
 *       else by the catch-all listener (no port); none of them: not admitted;</li>
 *   <li>{@code outboundTrafficPolicy.mode}: REGISTRY_ONLY when the Sidecar says so (the field's default), ALLOW_ANY
 *       when it says so or has no policy (the mesh default).</li>
 * </ul>
 *
 * <p>A service's namespace is the namespace of the ServiceEntry that declares it.
 */
record SidecarEgress(Sidecar sidecar) {

    /** No Sidecar: everything admitted, ALLOW_ANY. */
    static final SidecarEgress NONE = new SidecarEgress(null);

    boolean registryOnly() {
        OutboundTrafficPolicy p = sidecar == null ? null : sidecar.outboundTrafficPolicy();
        return p != null && p.mode() == OutboundTrafficPolicy.Mode.REGISTRY_ONLY;
    }

    boolean admits(ServiceIr service) {
        if (sidecar == null || sidecar.egress().isEmpty()) {
            return true;
        }
        List<EgressListener> forPort = sidecar.egress().stream()
                .filter(l -> l.port() != null && l.port().number() == service.port()).toList();
        List<EgressListener> judges = !forPort.isEmpty() ? forPort
                : sidecar.egress().stream().filter(l -> l.port() == null).toList();
        String namespace = ResourceKey.parse(service.origin()).namespace();
        boolean in = false;
        for (EgressListener l : judges) {
            for (String h : l.hosts()) {
                if (!h.startsWith("~") && matches(h, namespace, service.host())) {
                    in = true;
                }
            }
        }
        for (EgressListener l : judges) {
            for (String h : l.hosts()) {
                if (h.startsWith("~") && matches(h.substring(1), namespace, service.host(), true)) {
                    return false;
                }
            }
        }
        return in;
    }

    private boolean matches(String entry, String namespace, String host) {
        return matches(entry, namespace, host, false);
    }

    /** {@code entry} is {@code ns/dnsName}; in an exclusion an empty namespace means every namespace. */
    private boolean matches(String entry, String namespace, String host, boolean exclusion) {
        int slash = entry.indexOf('/');
        if (slash < 0) {
            return false; // validation requires ns/dnsName
        }
        String ns = entry.substring(0, slash);
        String name = entry.substring(slash + 1);
        boolean nsOk = ns.equals("*") || (exclusion && ns.isEmpty())
                || (ns.equals(".") ? namespace.equals(sidecar.metadata().namespace()) : ns.equals(namespace));
        return nsOk && hostMatches(name, host);
    }

    static boolean hostMatches(String pattern, String host) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith("*.")) {
            return host.endsWith(pattern.substring(1)) || host.equals(pattern);
        }
        return pattern.equalsIgnoreCase(host);
    }
}
