package meshlog.gatewayapi.validate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import meshlog.gatewayapi.model.KubeGateway;
import meshlog.gatewayapi.model.KubeGateway.Address;
import meshlog.gatewayapi.model.KubeGateway.Infrastructure;
import meshlog.gatewayapi.model.KubeGateway.Listener;

/**
 * Gateway rules: the CRD's markers and CEL rules of {@code gateway_types.go} (standard channel), and the webhook's
 * ({@code apis/v1/validation/gateway.go}). Listener-level rules are in {@link KubeListenerRules}.
 */
final class KubeGatewayRules {

    static final int MAX_LISTENERS = 64;
    static final int MAX_ADDRESSES = 16;
    /** The classes Istio programs; Gateways of other classes belong to other controllers. */
    static final Set<String> ISTIO_CLASSES = Set.of("istio", "istio-remote", "istio-waypoint", "istio-east-west");
    private static final Pattern ADDRESS_TYPE = Pattern.compile("Hostname|IPAddress|NamedAddress"
            + "|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+");

    private KubeGatewayRules() {
    }

    static void check(KubeGateway gw, Findings f) {
        gatewayClassName(gw.gatewayClassName(), f);
        listeners(gw.listeners(), f);
        addresses(gw.addresses(), f);
        if (gw.infrastructure() != null) {
            infrastructure(gw.infrastructure(), f);
        }
    }

    private static void gatewayClassName(String cls, Findings f) {
        if (cls.isEmpty()) {
            f.error("KG0100", "spec.gatewayClassName", "gatewayClassName is required");
        } else if (cls.length() > 253) {
            f.error("KG0100", "spec.gatewayClassName", "gatewayClassName is longer than 253 characters");
        } else if (!ISTIO_CLASSES.contains(cls)) {
            f.warning("KG0150", "spec.gatewayClassName", "\"" + cls + "\" is not an Istio GatewayClass ("
                    + String.join(", ", ISTIO_CLASSES.stream().sorted().toList()) + "); Istio leaves this Gateway to"
                    + " another controller");
        }
    }

    private static void listeners(List<Listener> listeners, Findings f) {
        if (listeners.isEmpty()) {
            f.error("KG0101", "spec.listeners", "at least one listener is required");
        } else if (listeners.size() > MAX_LISTENERS) {
            f.error("KG0101", "spec.listeners", "at most " + MAX_LISTENERS + " listeners, got " + listeners.size());
        }
        Set<String> names = new HashSet<>();
        Set<String> combinations = new HashSet<>();
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            String path = "spec.listeners[" + i + "]";
            KubeListenerRules.check(l, path, f);
            if (!l.name().isEmpty() && !names.add(l.name())) {
                f.error("KG0103", path + ".name", "listener name \"" + l.name() + "\" is used twice; it must be"
                        + " unique within the Gateway");
            }
            String combination = l.port() + "/" + l.protocol() + "/" + (l.hostname() == null ? "" : l.hostname());
            if (!combinations.add(combination)) {
                f.error("KG0117", path, "another listener has the same port " + l.port() + ", protocol "
                        + l.protocol() + " and hostname" + (l.hostname() == null ? " (none)" : " " + l.hostname())
                        + "; the combination must be unique");
            }
        }
    }

    private static void addresses(List<Address> addresses, Findings f) {
        if (addresses.size() > MAX_ADDRESSES) {
            f.error("KG0130", "spec.addresses", "at most " + MAX_ADDRESSES + " addresses, got " + addresses.size());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < addresses.size(); i++) {
            Address a = addresses.get(i);
            String path = "spec.addresses[" + i + "]";
            if (a.type().length() > 253 || !ADDRESS_TYPE.matcher(a.type()).matches()) {
                f.error("KG0130", path + ".type", "invalid address type \"" + a.type() + "\": IPAddress, Hostname"
                        + " or a domain-prefixed name like example.com/MyType");
            }
            if (a.value() == null) {
                continue;
            }
            if (a.value().length() > 253) {
                f.error("KG0130", path + ".value", "at most 253 characters");
            } else if (a.type().equals("IPAddress") && !Checks.isIp(a.value())) {
                f.error("KG0131", path + ".value", "\"" + a.value() + "\" is not an IP address");
            } else if (a.type().equals("Hostname") && KubeValueChecks.hostname(a.value()) != null) {
                f.errorIf("KG0132", path + ".value", KubeValueChecks.hostname(a.value()));
            }
            if ((a.type().equals("IPAddress") || a.type().equals("Hostname"))
                    && !seen.add(a.type() + "/" + a.value())) {
                f.error("KG0133", path + ".value", a.type() + " \"" + a.value() + "\" is listed twice");
            }
        }
    }

    private static void infrastructure(Infrastructure inf, Findings f) {
        String path = "spec.infrastructure";
        if (inf.labels().size() > 8) {
            f.error("KG0140", path + ".labels", "at most 8 labels, got " + inf.labels().size());
        }
        for (Map.Entry<String, String> e : inf.labels().entrySet()) {
            String problem = Checks.labelKey(e.getKey());
            f.errorIf("KG0140", path + ".labels." + e.getKey(), problem != null ? problem
                    : Checks.labelValue(e.getValue()));
        }
        if (inf.annotations().size() > 16) {
            f.error("KG0141", path + ".annotations", "at most 16 annotations, got " + inf.annotations().size());
        }
        for (Map.Entry<String, String> e : inf.annotations().entrySet()) {
            String problem = Checks.labelKey(e.getKey());
            if (problem == null && e.getValue().length() > 4096) {
                problem = "annotation value is longer than 4096 characters";
            }
            f.errorIf("KG0141", path + ".annotations." + e.getKey(), problem);
        }
        var ref = inf.parametersRef();
        if (ref != null) {
            String at = path + ".parametersRef";
            f.errorIf("KG0142", at + ".group", KubeValueChecks.group(ref.group()));
            f.errorIf("KG0142", at + ".kind", KubeValueChecks.kind(ref.kind()));
            f.errorIf("KG0142", at + ".name", KubeValueChecks.objectName(ref.name()));
        }
    }
}
