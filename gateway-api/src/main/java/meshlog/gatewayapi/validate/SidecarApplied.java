package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.Sidecar.EgressListener;
import meshlog.gatewayapi.model.Sidecar.IngressListener;

/**
 * The Sidecar fields meshlog's reconciler does not apply yet, each reported with {@code ML0011}. Applied:
 * {@code workloadSelector} (which Sidecar a proxy gets), {@code egress[].hosts} and {@code egress[].port} (which
 * services it sees), {@code outboundTrafficPolicy.mode}, and {@code ingress[]}'s {@code port}, {@code bind} (an IP),
 * {@code captureMode} and {@code defaultEndpoint}.
 */
final class SidecarApplied {

    private SidecarApplied() {
    }

    static void report(Sidecar sc, Findings f) {
        for (int i = 0; i < sc.ingress().size(); i++) {
            IngressListener in = sc.ingress().get(i);
            String path = "spec.ingress[" + i + "]";
            if (in.tls() != null) {
                f.notTranslated(path + ".tls");
            }
            if (in.connectionPool() != null) {
                f.notTranslated(path + ".connectionPool");
            }
            if (in.bind().startsWith("unix://")) {
                f.notTranslated(path + ".bind"); // Unix-socket ingress listeners are not served yet
            }
        }
        for (int i = 0; i < sc.egress().size(); i++) {
            EgressListener out = sc.egress().get(i);
            String path = "spec.egress[" + i + "]";
            if (f.written(path + ".bind")) {
                f.notTranslated(path + ".bind");
            }
            if (f.written(path + ".captureMode")) {
                f.notTranslated(path + ".captureMode");
            }
            if (out.port() != null && out.port().number() == 0) {
                f.notTranslated(path + ".port"); // a Unix-socket egress listener
            }
        }
        if (sc.inboundConnectionPool() != null) {
            f.notTranslated("spec.inboundConnectionPool");
        }
        if (sc.outboundTrafficPolicy() != null && sc.outboundTrafficPolicy().egressProxy() != null) {
            f.notTranslated("spec.outboundTrafficPolicy.egressProxy");
        }
    }
}
