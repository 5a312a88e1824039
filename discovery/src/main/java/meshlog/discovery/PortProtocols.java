package meshlog.discovery;

import java.util.Locale;
import java.util.Set;
import meshlog.discovery.kube.KubeServicePort;
import meshlog.gatewayapi.validate.ListenerChecks.Protocol;

/**
 * The protocol of a Kubernetes service port as Istio reads it ({@code pkg/config/kube/conversion.go},
 * {@code ConvertProtocol}; istio.io "Protocol Selection"): UDP for UDP ports; else {@code appProtocol} when set
 * (with Kubernetes' {@code kubernetes.io/h2c}, {@code /ws}, {@code /wss} names mapped), else the port name; a name
 * is read up to its first {@code -} ({@code http-web} is HTTP), except a {@code grpc-web} prefix; anything Istio
 * does not know is UNSUPPORTED (sniffed), except on the server-first ports 25, 53, 3306 and 27017, which are TCP
 * because sniffing would wait for a client that never speaks first.
 */
public final class PortProtocols {

    private static final Set<Integer> SERVER_FIRST = Set.of(25, 53, 3306, 27017);
    private static final String GRPC_WEB = "grpc-web";

    private PortProtocols() {
    }

    public static Protocol of(KubeServicePort p) {
        if (p.protocol().equalsIgnoreCase("UDP")) {
            return Protocol.UDP;
        }
        String name = p.name();
        if (p.appProtocol() != null) {
            name = p.appProtocol();
            switch (name) {
                case "kubernetes.io/h2c":
                    return Protocol.HTTP2;
                case "kubernetes.io/ws":
                    return Protocol.HTTP;
                case "kubernetes.io/wss":
                    return Protocol.HTTPS;
                default:
                    break;
            }
        }
        if (name.toLowerCase(Locale.ROOT).startsWith(GRPC_WEB)) {
            return Protocol.GRPC_WEB;
        }
        int dash = name.indexOf('-');
        Protocol out = Protocol.parse(dash >= 0 ? name.substring(0, dash) : name);
        if (out == Protocol.UNSUPPORTED && SERVER_FIRST.contains(p.port())) {
            return Protocol.TCP;
        }
        return out;
    }
}
