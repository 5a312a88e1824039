package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.ClientTls;
import meshlog.gatewayapi.model.TrafficPolicy;
import meshlog.gatewayapi.model.TrafficPolicy.OutlierDetection;
import meshlog.gatewayapi.model.TrafficPolicy.PortTrafficPolicy;
import meshlog.gatewayapi.model.TrafficPolicy.ProxyProtocol;
import meshlog.gatewayapi.model.TrafficPolicy.RetryBudget;
import meshlog.gatewayapi.model.TrafficPolicy.Tunnel;

/**
 * Reads a DestinationRule traffic policy (top level, per subset, per port). Each reader takes the fields of its
 * object, or null when the object is absent (then it returns null), and ends them.
 */
final class TrafficPolicyReader {

    private TrafficPolicyReader() {
    }

    static TrafficPolicy read(Fields f) {
        if (f == null) {
            return null;
        }
        var ports = f.objects("portLevelSettings", (p, i) -> portPolicy(p));
        var policy = new TrafficPolicy(LoadBalancerReader.read(f.object("loadBalancer")),
                ConnectionPoolReader.read(f.object("connectionPool")), outlierDetection(f.object("outlierDetection")),
                tls(f.object("tls")), ports, tunnel(f.object("tunnel")), proxyProtocol(f.object("proxyProtocol")),
                retryBudget(f.object("retryBudget")));
        f.end();
        return policy;
    }

    private static PortTrafficPolicy portPolicy(Fields f) {
        Integer port = null;
        Fields selector = f.object("port");
        if (selector != null) {
            port = selector.integer("number", null);
            selector.end();
        }
        return new PortTrafficPolicy(port, LoadBalancerReader.read(f.object("loadBalancer")),
                ConnectionPoolReader.read(f.object("connectionPool")), outlierDetection(f.object("outlierDetection")),
                tls(f.object("tls")));
    }

    private static OutlierDetection outlierDetection(Fields f) {
        if (f == null) {
            return null;
        }
        var codes = new java.util.ArrayList<Integer>();
        var items = f.list("outlierDetectionHttpErrorCodes");
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof SourceNode.ScalarNode s && s.kind() == SourceNode.ScalarKind.INTEGER
                    && s.text().length() < 10) {
                codes.add(Integer.valueOf(s.text()));
            } else {
                f.error(Fields.WRONG_TYPE, "outlierDetectionHttpErrorCodes",
                        "item " + i + ": expected an HTTP status code, got " + items.get(i).typeName());
            }
        }
        var outlier = new OutlierDetection(f.integer("consecutiveErrors", null),
                f.longInteger("consecutiveGatewayErrors"), f.longInteger("consecutive5xxErrors"),
                f.longInteger("consecutiveLocalOriginFailures"), f.bool("splitExternalLocalOriginErrors"),
                f.duration("interval"), f.duration("baseEjectionTime"), f.integer("maxEjectionPercent", null),
                f.integer("minHealthPercent", null), codes);
        f.end();
        return outlier;
    }

    static ClientTls tls(Fields f) {
        if (f == null) {
            return null;
        }
        var tls = new ClientTls(EnumField.read(f, "mode", ClientTls.Mode.class, ClientTls.Mode.DISABLE),
                f.string("clientCertificate"), f.string("privateKey"), f.string("caCertificates"),
                f.string("credentialName"), f.strings("subjectAltNames"), f.string("sni"),
                f.bool("insecureSkipVerify"), f.string("caCrl"));
        f.end();
        return tls;
    }

    private static Tunnel tunnel(Fields f) {
        if (f == null) {
            return null;
        }
        var tunnel = new Tunnel(f.string("protocol"), f.string("targetHost"), f.integer("targetPort", null));
        f.end();
        return tunnel;
    }

    private static ProxyProtocol proxyProtocol(Fields f) {
        if (f == null) {
            return null;
        }
        var pp = new ProxyProtocol(EnumField.read(f, "version", ProxyProtocol.Version.class,
                ProxyProtocol.Version.V1));
        f.end();
        return pp;
    }

    private static RetryBudget retryBudget(Fields f) {
        if (f == null) {
            return null;
        }
        var budget = new RetryBudget(f.decimal("percent"), f.longInteger("minRetryConcurrency"),
                f.duration("budgetInterval"));
        f.end();
        return budget;
    }
}
