package meshlog.gatewayapi.validate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.Gateway;
import meshlog.gatewayapi.model.Gateway.Server;
import meshlog.gatewayapi.model.ListenerPort;
import meshlog.gatewayapi.model.ServerTlsSettings;
import meshlog.gatewayapi.model.ServerTlsSettings.Mode;
import meshlog.gatewayapi.validate.ListenerChecks.Protocol;

/** Gateway rules (Istio's {@code ValidateGateway}, {@code validateServer}, {@code validateServerPort}). */
final class GatewayRules {

    private GatewayRules() {
    }

    static void check(Gateway gw, Findings f) {
        String name = f.resource().resource().metadata().name();
        // Names that are no Kubernetes name at all are ML0013 already; this is the stricter rule for Gateways.
        if (Checks.isDns1123Subdomain(name) && !Checks.isDns1123Label(name)) {
            f.error("GW0001", "metadata.name", "invalid Gateway name \"" + name + "\": it must be a DNS-1123 label"
                    + " (lower-case letters, digits and '-', at most 63 characters, no dots)");
        }
        if (gw.servers().isEmpty()) {
            f.error("GW0002", "spec.servers", "a Gateway needs at least one server");
        }
        Map<String, Integer> portNames = new HashMap<>();
        for (int i = 0; i < gw.servers().size(); i++) {
            Server s = gw.servers().get(i);
            String path = "spec.servers[" + i + "]";
            hosts(s.hosts(), path, f);
            boolean portOk = port(s, path, f);
            if (s.tls() != null) {
                ServerTlsRules.check(s.tls(), path + ".tls", "GW", f);
                secretCredentials(s.tls(), path + ".tls", f);
            }
            if (portOk) {
                tlsForProtocol(s, path, f);
            }
            if (s.port() == null) {
                continue;
            }
            Integer first = s.port().name().isEmpty() ? null : portNames.putIfAbsent(s.port().name(), i);
            if (first != null) {
                f.error("GW0009", path + ".port.name", "port name \"" + s.port().name() + "\" is already used by"
                        + " spec.servers[" + first + "]; port names must be unique across servers");
            }
            if (s.tls() != null && s.tls().httpsRedirect() && !Protocol.parse(s.port().protocol()).isHttp()) {
                f.warning("GW0014", path + ".tls.httpsRedirect", "httpsRedirect only applies to plain-text HTTP"
                        + " servers; on " + s.port().protocol() + " it has no effect");
            }
        }
    }

    /** Certificates from Kubernetes Secrets: valid Istio, not served by meshlog until it discovers Secrets. */
    private static void secretCredentials(ServerTlsSettings tls, String path, Findings f) {
        if (tls.mode() != Mode.SIMPLE && tls.mode() != Mode.MUTUAL && tls.mode() != Mode.OPTIONAL_MUTUAL) {
            return; // passthrough ignores them (GW0105), ISTIO_MUTUAL forbids them (GW0104)
        }
        String[][] fields = {{"credentialName", tls.credentialName()},
            {"credentialNames", tls.credentialNames().isEmpty() ? "" : "set"},
            {"caCertCredentialName", tls.caCertCredentialName()}};
        for (String[] field : fields) {
            if (!field[1].isEmpty()) {
                f.warning("GW0015", path + "." + field[0], "certificates from Kubernetes Secrets are not served"
                        + " until meshlog's Secret discovery lands: file-based certificates are required"
                        + " (serverCertificate and privateKey, and caCertificates for MUTUAL: paths on the gateway);"
                        + " this server is not served");
            }
        }
    }

    private static void hosts(List<String> hosts, String path, Findings f) {
        if (hosts.isEmpty()) {
            f.error("GW0003", path + ".hosts", "a server needs at least one host");
        }
        for (int j = 0; j < hosts.size(); j++) {
            f.errorIf("GW0004", path + ".hosts[" + j + "]", ListenerChecks.namespacedHost(hosts.get(j), true));
        }
    }

    /** The port and bind rules; true when the port has no problem (then the protocol decides about TLS). */
    private static boolean port(Server s, String path, Findings f) {
        ListenerPort p = s.port();
        boolean unix = s.bind().startsWith(ListenerChecks.UNIX_PREFIX);
        f.errorIf("GW0011", path + ".bind", ListenerChecks.bind(s.bind()));
        if (p == null) {
            f.error("GW0005", path + ".port", "a server needs a port {number, protocol, name}");
            return false;
        }
        if (unix && p.number() != 0) {
            f.error("GW0011", path + ".port.number", "a server bound to a unix domain socket must have port"
                    + " number 0, got " + p.number());
        }
        boolean ok = true;
        if (Protocol.parse(p.protocol()) == Protocol.UNSUPPORTED) {
            f.error("GW0006", path + ".port.protocol", (p.protocol().isEmpty() ? "a protocol is required"
                    : "unsupported protocol \"" + p.protocol() + "\"") + "; allowed: " + ListenerChecks.PROTOCOLS);
            ok = false;
        }
        String number = p.number() > 0 || !unix ? Checks.port(p.number()) : null;
        if (number != null) {
            f.error("GW0007", path + ".port.number", number);
            ok = false;
        }
        if (p.targetPort() > 0) {
            f.error("GW0010", path + ".port.targetPort", "targetPort has no effect on a Gateway; remove it");
            ok = false;
        }
        if (p.name().isEmpty()) {
            f.error("GW0008", path + ".port.name", "a server port needs a name");
            ok = false;
        }
        return ok;
    }

    /** HTTPS and TLS ports need TLS settings; plain-text ports may only carry an httpsRedirect. */
    private static void tlsForProtocol(Server s, String path, Findings f) {
        Protocol p = Protocol.parse(s.port().protocol());
        ServerTlsSettings tls = s.tls();
        if (p.isTls() && tls == null) {
            f.error("GW0012", path + ".tls", "a " + s.port().protocol() + " server needs tls settings (mode and"
                    + " certificates)");
        } else if (!p.isTls() && tls != null) {
            boolean passthrough = tls.mode() == Mode.PASSTHROUGH || tls.mode() == Mode.AUTO_PASSTHROUGH;
            boolean onlyRedirect = passthrough && tls.caCertificates().isEmpty() && tls.privateKey().isEmpty()
                    && tls.serverCertificate().isEmpty();
            if (!p.isHttp() || !onlyRedirect) {
                f.error("GW0013", path + ".tls", "a plain-text " + s.port().protocol() + " server cannot terminate"
                        + " TLS" + (p.isHttp() ? " (only tls.httpsRedirect is allowed here)" : "")
                        + "; use protocol HTTPS or TLS");
            }
        }
    }
}
