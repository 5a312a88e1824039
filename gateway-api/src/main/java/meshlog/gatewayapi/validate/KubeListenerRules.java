package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import meshlog.gatewayapi.model.KubeGateway.CoreProtocol;
import meshlog.gatewayapi.model.KubeGateway.FromNamespaces;
import meshlog.gatewayapi.model.KubeGateway.LabelRequirement;
import meshlog.gatewayapi.model.KubeGateway.LabelSelector;
import meshlog.gatewayapi.model.KubeGateway.Listener;
import meshlog.gatewayapi.model.KubeGateway.ListenerTls;
import meshlog.gatewayapi.model.KubeGateway.RouteNamespaces;
import meshlog.gatewayapi.model.KubeGateway.SecretRef;
import meshlog.gatewayapi.model.KubeGateway.TlsMode;

/** The rules of one Gateway listener: name, hostname, port, protocol, TLS and allowed routes. */
final class KubeListenerRules {

    private static final Pattern PROTOCOL = Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?"
            + "|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9]+");

    private KubeListenerRules() {
    }

    static void check(Listener l, String path, Findings f) {
        if (l.name().isEmpty()) {
            f.error("KG0102", path + ".name", "listener name is required");
        } else {
            f.errorIf("KG0102", path + ".name", KubeValueChecks.sectionName(l.name()));
        }
        f.errorIf("KG0106", path + ".port", l.port() == 0 ? "port is required (1-65535)" : Checks.port(l.port()));
        CoreProtocol protocol = l.coreProtocol();
        if (l.protocol().isEmpty()) {
            f.error("KG0107", path + ".protocol", "protocol is required: HTTP, HTTPS, TLS, TCP or UDP");
        } else if (l.protocol().length() > 255 || !PROTOCOL.matcher(l.protocol()).matches()) {
            f.error("KG0107", path + ".protocol", "invalid protocol \"" + l.protocol() + "\": HTTP, HTTPS, TLS,"
                    + " TCP, UDP or a domain-prefixed name like example.com/my-protocol");
        } else if (protocol == null) {
            f.warning("KG0108", path + ".protocol", "\"" + l.protocol() + "\" is not a core protocol (HTTP,"
                    + " HTTPS, TLS, TCP, UDP); Istio does not accept this listener");
        }
        if (l.hostname() != null) {
            f.errorIf("KG0104", path + ".hostname", KubeValueChecks.hostname(l.hostname()));
            if (protocol == CoreProtocol.TCP || protocol == CoreProtocol.UDP) {
                f.error("KG0105", path + ".hostname", "hostname must not be set for protocol " + l.protocol());
            }
        }
        tls(l, protocol, path + ".tls", f);
        allowedRoutes(l, path + ".allowedRoutes", f);
    }

    private static void tls(Listener l, CoreProtocol protocol, String path, Findings f) {
        ListenerTls tls = l.tls();
        if (tls == null) {
            if (protocol == CoreProtocol.HTTPS || protocol == CoreProtocol.TLS) {
                f.error("KG0111", path, "tls is required for protocol " + l.protocol());
            }
            return;
        }
        if (protocol == CoreProtocol.HTTP || protocol == CoreProtocol.TCP || protocol == CoreProtocol.UDP) {
            f.error("KG0110", path, "tls must not be set for protocol " + l.protocol());
        }
        if (protocol == CoreProtocol.HTTPS && tls.mode() == TlsMode.Passthrough) {
            f.error("KG0112", path + ".mode", "tls mode must be Terminate for protocol HTTPS (use protocol TLS"
                    + " for passthrough)");
        }
        if (tls.mode() == TlsMode.Terminate && tls.certificateRefs().isEmpty() && tls.options().isEmpty()) {
            f.error("KG0113", path + ".certificateRefs", "certificateRefs (or options) must be given when mode is"
                    + " Terminate");
        }
        if (tls.mode() == TlsMode.Passthrough && !tls.certificateRefs().isEmpty()) {
            f.warning("KG0116", path + ".certificateRefs", "certificateRefs are ignored in Passthrough mode");
        }
        certificateRefs(tls.certificateRefs(), path + ".certificateRefs", f);
        if (tls.options().size() > 16) {
            f.error("KG0115", path + ".options", "at most 16 options");
        }
        for (Map.Entry<String, String> e : tls.options().entrySet()) {
            String problem = Checks.labelKey(e.getKey());
            f.errorIf("KG0115", path + ".options." + e.getKey(), problem != null ? "option " + problem
                    : e.getValue().length() > 4096 ? "option value is longer than 4096 characters" : null);
        }
    }

    private static void certificateRefs(List<SecretRef> refs, String path, Findings f) {
        if (refs.size() > 64) {
            f.error("KG0114", path, "at most 64 certificateRefs");
        }
        for (int i = 0; i < refs.size(); i++) {
            SecretRef ref = refs.get(i);
            String at = path + "[" + i + "]";
            f.errorIf("KG0114", at + ".name", KubeValueChecks.objectName(ref.name()));
            f.errorIf("KG0114", at + ".group", KubeValueChecks.group(ref.group()));
            f.errorIf("KG0114", at + ".kind", KubeValueChecks.kind(ref.kind()));
            if (ref.namespace() != null) {
                f.errorIf("KG0114", at + ".namespace", KubeValueChecks.namespace(ref.namespace()));
            }
        }
    }

    private static void allowedRoutes(Listener l, String path, Findings f) {
        RouteNamespaces ns = l.allowedRoutes().namespaces();
        if (ns.from() == FromNamespaces.Selector && ns.selector() == null) {
            f.warning("KG0121", path + ".namespaces", "from: Selector without a selector: no route can attach to"
                    + " this listener");
        } else if (ns.from() != FromNamespaces.Selector && ns.selector() != null) {
            f.warning("KG0122", path + ".namespaces.selector", "the selector is ignored unless from is Selector");
        }
        if (ns.selector() != null) {
            selector(ns.selector(), path + ".namespaces.selector", f);
        }
        var kinds = l.allowedRoutes().kinds();
        if (kinds.size() > 8) {
            f.error("KG0120", path + ".kinds", "at most 8 kinds, got " + kinds.size());
        }
        for (int i = 0; i < kinds.size(); i++) {
            String at = path + ".kinds[" + i + "]";
            f.errorIf("KG0120", at + ".group", KubeValueChecks.group(kinds.get(i).group()));
            f.errorIf("KG0120", at + ".kind", KubeValueChecks.kind(kinds.get(i).kind()));
        }
    }

    private static void selector(LabelSelector s, String path, Findings f) {
        for (Map.Entry<String, String> e : s.matchLabels().entrySet()) {
            String problem = Checks.labelKey(e.getKey());
            f.errorIf("KG0123", path + ".matchLabels." + e.getKey(), problem != null ? problem
                    : Checks.labelValue(e.getValue()));
        }
        for (int i = 0; i < s.matchExpressions().size(); i++) {
            LabelRequirement r = s.matchExpressions().get(i);
            String at = path + ".matchExpressions[" + i + "]";
            f.errorIf("KG0123", at + ".key", Checks.labelKey(r.key()));
            switch (r.operator()) {
                case "In", "NotIn" -> {
                    if (r.values().isEmpty()) {
                        f.error("KG0123", at + ".values", "operator " + r.operator() + " needs values");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!r.values().isEmpty()) {
                        f.error("KG0123", at + ".values", "operator " + r.operator() + " takes no values");
                    }
                }
                default -> f.error("KG0123", at + ".operator", "unknown operator \"" + r.operator()
                        + "\"; allowed: In, NotIn, Exists, DoesNotExist");
            }
        }
    }
}
