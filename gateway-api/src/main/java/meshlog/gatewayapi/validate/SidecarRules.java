package meshlog.gatewayapi.validate;

import java.util.HashSet;
import java.util.Set;
import meshlog.gatewayapi.model.ListenerPort;
import meshlog.gatewayapi.model.ServerTlsSettings;
import meshlog.gatewayapi.model.ServerTlsSettings.Mode;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.Sidecar.IngressListener;
import meshlog.gatewayapi.validate.ListenerChecks.Protocol;

/**
 * Sidecar rules (Istio's {@code ValidateSidecar}): the selector, the ingress listeners and, through
 * {@link SidecarEgressRules}, the egress listeners and the outbound traffic policy.
 */
final class SidecarRules {

    private static final int MAX_LABEL_VALUE = 63;

    private SidecarRules() {
    }

    static void check(Sidecar sc, Findings f) {
        selector(sc, f);
        if (sc.ingress().isEmpty() && sc.egress().isEmpty() && sc.outboundTrafficPolicy() == null
                && sc.inboundConnectionPool() == null) {
            f.error("SC0001", "spec", "empty Sidecar: set at least one of ingress, egress, outboundTrafficPolicy"
                    + " or inboundConnectionPool");
        }
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < sc.ingress().size(); i++) {
            ingress(sc.ingress().get(i), "spec.ingress[" + i + "]", ports, f);
        }
        ConnectionPoolRules.check(sc.inboundConnectionPool(), "spec.inboundConnectionPool", ConnectionPoolRules.SIDECAR,
                f);
        SidecarEgressRules.check(sc, f);
    }

    private static void selector(Sidecar sc, Findings f) {
        if (sc.workloadSelector() == null) {
            return;
        }
        if (sc.workloadSelector().labels().isEmpty()) {
            f.warning("SC0002", "spec.workloadSelector", "workloadSelector without labels: this Sidecar applies to"
                    + " every workload in the namespace");
        }
        for (var e : sc.workloadSelector().labels().entrySet()) {
            String at = "spec.workloadSelector.labels" + (e.getKey().isEmpty() ? "" : "." + e.getKey());
            if (e.getKey().isEmpty()) {
                f.error("SC0003", at, "an empty label key is not supported in a selector");
            } else if (e.getKey().contains("*") || e.getValue().contains("*")) {
                f.error("SC0003", at, "wildcards are not supported in a selector: \"" + e.getKey() + "="
                        + e.getValue() + "\"");
            } else if (e.getValue().length() > MAX_LABEL_VALUE) {
                f.error("SC0003", at, "a label value has at most " + MAX_LABEL_VALUE + " characters");
            }
        }
    }

    private static void ingress(IngressListener in, String path, Set<Integer> ports, Findings f) {
        ListenerPort p = in.port();
        if (p == null) {
            f.error("SC0004", path + ".port", "an ingress listener needs a port");
            return;
        }
        port(p, path + ".port", f);
        f.errorIf("SC0008", path + ".port.number", Checks.port(p.number()));
        if (!in.bind().isEmpty() && !Checks.isIp(in.bind())) {
            f.error("SC0009", path + ".bind", "\"" + in.bind() + "\" is not a valid IP address");
        }
        if (!ports.add(p.number())) {
            f.error("SC0010", path + ".port.number", "port " + p.number() + " is used by another ingress listener;"
                    + " ports must be unique");
        }
        if (!in.defaultEndpoint().isEmpty()) {
            f.errorIf("SC0011", path + ".defaultEndpoint", defaultEndpoint(in.defaultEndpoint()));
        }
        if (in.tls() != null) {
            tls(in.tls(), Protocol.parse(p.protocol()), path + ".tls", f);
        }
        if (in.connectionPool() != null) {
            ConnectionPoolRules.check(in.connectionPool(), path + ".connectionPool", ConnectionPoolRules.SIDECAR, f);
            if (in.connectionPool().http() != null && !Protocol.parse(p.protocol()).isHttp()) {
                f.warning("SC0015", path + ".connectionPool.http", "HTTP connection pool settings on port "
                        + p.number() + " whose protocol is not HTTP (" + p.protocol() + "): only the tcp"
                        + " settings apply");
            }
        }
    }

    /** The name, protocol and targetPort rules both listener kinds share (the number is checked by each). */
    static void port(ListenerPort p, String path, Findings f) {
        if (p.targetPort() > 0) {
            f.error("SC0005", path + ".targetPort", "targetPort has no effect on a Sidecar; remove it");
        }
        if (!p.name().isEmpty() && !ServiceChecks.isDnsLabel(p.name())) {
            f.error("SC0006", path + ".name", "invalid port name \"" + p.name() + "\": it must be a DNS-1123 label");
        }
        if (!p.protocol().isEmpty() && Protocol.parse(p.protocol()) == Protocol.UNSUPPORTED) {
            f.error("SC0007", path + ".protocol", "unsupported protocol \"" + p.protocol() + "\"; allowed: "
                    + ListenerChecks.PROTOCOLS);
        }
    }

    /** Sidecar TLS termination: files only (no secrets), no Istio-internal modes, and only on HTTPS/TLS ports. */
    private static void tls(ServerTlsSettings tls, Protocol protocol, String path, Findings f) {
        String[][] unsupported = {
            {"subjectAltNames", tls.subjectAltNames().isEmpty() ? "" : "set"},
            {"httpsRedirect", tls.httpsRedirect() ? "set" : ""},
            {"credentialName", tls.credentialName()},
            {"credentialNames", tls.credentialNames().isEmpty() ? "" : "set"},
            {"tlsCertificates", tls.tlsCertificates().isEmpty() ? "" : "set"}};
        for (String[] u : unsupported) {
            if (!u[1].isEmpty()) {
                f.error("SC0012", path + "." + u[0], u[0] + " is not supported in a Sidecar's ingress tls");
            }
        }
        if (tls.mode() == Mode.ISTIO_MUTUAL || tls.mode() == Mode.AUTO_PASSTHROUGH) {
            f.error("SC0013", path + ".mode", "mode " + tls.mode() + " cannot be used in a Sidecar's ingress tls");
        }
        if (!protocol.isTls()) {
            f.error("SC0014", path, "tls settings need a port with protocol HTTPS or TLS");
        }
        ServerTlsRules.check(tls, path, "SC", f);
    }

    /**
     * Istio's check of an ingress {@code defaultEndpoint}: {@code unix://} and a socket path, or a loopback or
     * any-address with a port ({@code 127.0.0.1:8080}, {@code 0.0.0.0:8080}, {@code [::1]:8080}, {@code :8080}).
     */
    static String defaultEndpoint(String endpoint) {
        if (endpoint.startsWith(ListenerChecks.UNIX_PREFIX)) {
            return ServiceChecks.unixAddress(endpoint.substring(ListenerChecks.UNIX_PREFIX.length()));
        }
        String host;
        String port;
        if (endpoint.startsWith("[")) {
            int close = endpoint.indexOf(']');
            if (close < 0 || close + 1 >= endpoint.length() || endpoint.charAt(close + 1) != ':') {
                return "\"" + endpoint + "\" is not of the form [address]:port";
            }
            host = endpoint.substring(1, close);
            port = endpoint.substring(close + 2);
        } else {
            int colon = endpoint.lastIndexOf(':');
            if (colon < 0 || endpoint.substring(0, colon).contains(":")) {
                return "\"" + endpoint + "\" is not of the form address:port";
            }
            host = endpoint.substring(0, colon);
            port = endpoint.substring(colon + 1);
        }
        if (!host.isEmpty() && !host.equals("127.0.0.1") && !host.equals("0.0.0.0") && !host.equals("::1")
                && !host.equals("::")) {
            return "defaultEndpoint must be 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, [::]:<port> or"
                    + " unix://<path>, got \"" + endpoint + "\"";
        }
        if (!port.matches("[0-9]{1,5}")) {
            return "the port of defaultEndpoint \"" + endpoint + "\" is not a number";
        }
        return Checks.port(Integer.parseInt(port));
    }
}
