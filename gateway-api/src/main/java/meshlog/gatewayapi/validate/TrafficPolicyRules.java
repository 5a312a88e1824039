package meshlog.gatewayapi.validate;

import java.time.Duration;
import meshlog.gatewayapi.model.ClientTls;
import meshlog.gatewayapi.model.TrafficPolicy;
import meshlog.gatewayapi.model.TrafficPolicy.OutlierDetection;
import meshlog.gatewayapi.model.TrafficPolicy.PortTrafficPolicy;
import meshlog.gatewayapi.model.TrafficPolicy.Tunnel;

/**
 * A DestinationRule traffic policy, at any level (Istio's validateTrafficPolicy, validateOutlierDetection,
 * agent.ValidateTLS, validatePortTrafficPolicies, validateTunnelSettings). Load balancing and connection pools have
 * their own rules ({@link LoadBalancerRules}, {@link ConnectionPoolRules}).
 */
final class TrafficPolicyRules {

    private static final String CONFIGMAP = "configmap://";
    private static final int MAX_PORT_LEVEL_SETTINGS = 4096;

    private TrafficPolicyRules() {
    }

    static void check(TrafficPolicy policy, String path, String namespace, Findings f) {
        if (policy.isEmpty()) {
            f.error("DR0011", path, "a traffic policy must set at least one field");
            return;
        }
        if (policy.tunnel() != null && policy.proxyProtocol() != null) {
            f.error("DR0012", path + ".tunnel", "tunnel and proxyProtocol must not be set together");
            return;
        }
        outlierDetection(policy.outlierDetection(), path + ".outlierDetection", f);
        ConnectionPoolRules.check(policy.connectionPool(), path + ".connectionPool",
                ConnectionPoolRules.DESTINATION_RULE, f);
        LoadBalancerRules.check(policy.loadBalancer(), policy.outlierDetection(), path + ".loadBalancer", f);
        tls(policy.tls(), path + ".tls", namespace, f);
        if (policy.portLevelSettings().size() > MAX_PORT_LEVEL_SETTINGS) {
            f.error("DR0044", path + ".portLevelSettings", "at most " + MAX_PORT_LEVEL_SETTINGS
                    + " port-level settings are allowed, got " + policy.portLevelSettings().size());
        }
        for (int i = 0; i < policy.portLevelSettings().size(); i++) {
            portPolicy(policy.portLevelSettings().get(i), path + ".portLevelSettings[" + i + "]", namespace, f);
        }
        tunnel(policy.tunnel(), path + ".tunnel", f);
        if (policy.retryBudget() != null) {
            var budget = policy.retryBudget();
            if (budget.percent() != null) {
                f.errorIf("DR0030", path + ".retryBudget.percent", Checks.percent(budget.percent()));
            }
            nonNegative(budget.minRetryConcurrency(), path + ".retryBudget.minRetryConcurrency", f);
            if (budget.budgetInterval() != null && budget.budgetInterval().isNegative()) {
                f.error("DR0015", path + ".retryBudget.budgetInterval", "must not be negative");
            }
        }
    }

    private static void portPolicy(PortTrafficPolicy port, String path, String namespace, Findings f) {
        if (port.port() == null) {
            f.error("DR0013", path + ".port", "a port-level traffic policy needs port.number");
        } else {
            f.errorIf("DR0013", path + ".port.number", Checks.port(port.port()));
        }
        if (port.isEmpty()) {
            f.error("DR0014", path, "a port-level traffic policy must set at least one of loadBalancer, "
                    + "connectionPool, outlierDetection or tls");
            return;
        }
        outlierDetection(port.outlierDetection(), path + ".outlierDetection", f);
        ConnectionPoolRules.check(port.connectionPool(), path + ".connectionPool",
                ConnectionPoolRules.DESTINATION_RULE, f);
        LoadBalancerRules.check(port.loadBalancer(), port.outlierDetection(), path + ".loadBalancer", f);
        tls(port.tls(), path + ".tls", namespace, f);
    }

    private static void outlierDetection(OutlierDetection o, String path, Findings f) {
        if (o == null) {
            return;
        }
        duration(o.baseEjectionTime(), path + ".baseEjectionTime", f);
        duration(o.interval(), path + ".interval", f);
        if (o.consecutiveErrors() != null && o.consecutiveErrors() != 0) {
            f.warning("DR0023", path + ".consecutiveErrors", "consecutiveErrors is deprecated; use "
                    + "consecutiveGatewayErrors or consecutive5xxErrors");
        }
        nonNegative(o.consecutiveGatewayErrors(), path + ".consecutiveGatewayErrors", f);
        nonNegative(o.consecutive5xxErrors(), path + ".consecutive5xxErrors", f);
        nonNegative(o.consecutiveLocalOriginFailures(), path + ".consecutiveLocalOriginFailures", f);
        if (!Boolean.TRUE.equals(o.splitExternalLocalOriginErrors()) && o.consecutiveLocalOriginFailures() != null
                && o.consecutiveLocalOriginFailures() > 0) {
            f.error("DR0022", path + ".consecutiveLocalOriginFailures", "consecutiveLocalOriginFailures is set "
                    + "but splitExternalLocalOriginErrors is not true, so it would never apply");
        }
        if (o.maxEjectionPercent() != null) {
            f.errorIf("DR0021", path + ".maxEjectionPercent", Checks.percent(o.maxEjectionPercent()));
        }
        if (o.minHealthPercent() != null) {
            f.errorIf("DR0021", path + ".minHealthPercent", Checks.percent(o.minHealthPercent()));
        }
        for (int i = 0; i < o.outlierDetectionHttpErrorCodes().size(); i++) {
            int code = o.outlierDetectionHttpErrorCodes().get(i);
            if (code < 100 || code > 599) {
                f.error("DR0024", path + ".outlierDetectionHttpErrorCodes[" + i + "]",
                        "must be an HTTP status code (100..599), got " + code);
            }
        }
    }

    /** Istio's agent.ValidateTLS for client TLS. */
    static void tls(ClientTls tls, String path, String namespace, Findings f) {
        if (tls == null) {
            return;
        }
        if (tls.credentialName().startsWith(CONFIGMAP)) {
            f.errorIf("DR0028", path + ".credentialName", configMapCredential(tls.credentialName(), namespace));
        }
        boolean simpleOrMutual = tls.mode() == ClientTls.Mode.SIMPLE || tls.mode() == ClientTls.Mode.MUTUAL;
        if (Boolean.TRUE.equals(tls.insecureSkipVerify()) && simpleOrMutual) {
            boolean credential = tls.mode() == ClientTls.Mode.SIMPLE && !tls.credentialName().isEmpty();
            if (!tls.caCertificates().isEmpty() || !tls.subjectAltNames().isEmpty() || credential) {
                f.error("DR0027", path + ".insecureSkipVerify", "with insecureSkipVerify true, caCertificates, "
                        + "subjectAltNames" + (tls.mode() == ClientTls.Mode.SIMPLE ? " and credentialName" : "")
                        + " cannot be set: nothing would verify them");
            }
        }
        if (simpleOrMutual && !tls.credentialName().isEmpty()) {
            if (!tls.clientCertificate().isEmpty() || !tls.caCertificates().isEmpty()
                    || !tls.privateKey().isEmpty() || !tls.caCrl().isEmpty()) {
                f.error("DR0026", path + ".credentialName", "with credentialName set, clientCertificate, "
                        + "privateKey, caCertificates and caCrl cannot be set: the credential provides them");
            }
            return;
        }
        if (tls.mode() == ClientTls.Mode.MUTUAL) {
            if (tls.clientCertificate().isEmpty()) {
                f.error("DR0025", path + ".clientCertificate", "mode MUTUAL needs a client certificate (or a "
                        + "credentialName)");
            }
            if (tls.privateKey().isEmpty()) {
                f.error("DR0025", path + ".privateKey", "mode MUTUAL needs a private key (or a credentialName)");
            }
        }
    }

    /** {@code configmap://[namespace/]name}: only the rule's own namespace may be read. */
    private static String configMapCredential(String credential, String namespace) {
        String rest = credential.substring(CONFIGMAP.length());
        int slash = rest.indexOf('/');
        String ns = slash < 0 ? namespace : rest.substring(0, slash);
        String name = slash < 0 ? rest : rest.substring(slash + 1);
        if (name.isEmpty() || ns.isEmpty()) {
            return "invalid configmap:// credentialName \"" + credential + "\": expected configmap://[namespace/]name";
        }
        return ns.equals(namespace) ? null : "invalid configmap:// credentialName: namespace must match the "
                + "configuration namespace \"" + namespace + "\"";
    }

    private static void tunnel(Tunnel tunnel, String path, Findings f) {
        if (tunnel == null) {
            return;
        }
        String protocol = tunnel.protocol() == null ? "" : tunnel.protocol();
        if (!protocol.isEmpty() && !protocol.equals("CONNECT") && !protocol.equals("POST")) {
            f.error("DR0029", path + ".protocol", "tunnel protocol must be \"CONNECT\" or \"POST\", got \""
                    + protocol + "\"");
        }
        String host = tunnel.targetHost() == null ? "" : tunnel.targetHost();
        if (!ServiceChecks.isIp(host) && ServiceChecks.fqdn(host) != null) {
            f.error("DR0029", path + ".targetHost", "tunnel target host must be an FQDN or an IP address, got \""
                    + host + "\"");
        }
        f.errorIf("DR0029", path + ".targetPort", Checks.port(tunnel.targetPort() == null ? 0 : tunnel.targetPort()));
    }

    /** Istio's ValidateDuration (at least 1 ms, whole ms) for a duration that is set. */
    static void duration(Duration d, String path, Findings f) {
        if (d != null) {
            f.errorIf("DR0015", path, Checks.duration(d));
        }
    }

    static void nonNegative(Number n, String path, Findings f) {
        f.errorIf("DR0018", path, Checks.nonNegative(n));
    }
}
