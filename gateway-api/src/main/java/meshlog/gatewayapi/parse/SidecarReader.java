package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.ObjectMeta;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.Sidecar.CaptureMode;
import meshlog.gatewayapi.model.Sidecar.EgressListener;
import meshlog.gatewayapi.model.Sidecar.EgressProxy;
import meshlog.gatewayapi.model.Sidecar.IngressListener;
import meshlog.gatewayapi.model.Sidecar.OutboundTrafficPolicy;
import meshlog.gatewayapi.model.Sidecar.PortSelector;
import meshlog.gatewayapi.model.Sidecar.WorkloadSelector;

/** Reads {@code Sidecar.spec}. */
final class SidecarReader {

    private SidecarReader() {
    }

    static Sidecar read(ObjectMeta meta, Fields spec) {
        WorkloadSelector selector = null;
        Fields w = spec.object("workloadSelector");
        if (w != null) {
            selector = new WorkloadSelector(w.stringMap("labels"));
            w.end();
        }
        var ingress = spec.objects("ingress", (f, i) -> ingress(f));
        var egress = spec.objects("egress", (f, i) -> egress(f));
        var inbound = ConnectionPoolReader.read(spec.object("inboundConnectionPool"));
        return new Sidecar(meta, selector, ingress, egress, inbound, outbound(spec.object("outboundTrafficPolicy")));
    }

    private static IngressListener ingress(Fields f) {
        var port = ServerTlsReader.port(f.object("port"));
        var bind = f.string("bind");
        var capture = EnumField.read(f, "captureMode", CaptureMode.class, CaptureMode.DEFAULT);
        var defaultEndpoint = f.string("defaultEndpoint");
        var tls = ServerTlsReader.tls(f.object("tls"));
        return new IngressListener(port, bind, capture, defaultEndpoint, tls,
                ConnectionPoolReader.read(f.object("connectionPool")));
    }

    private static EgressListener egress(Fields f) {
        var port = ServerTlsReader.port(f.object("port"));
        var bind = f.string("bind");
        var capture = EnumField.read(f, "captureMode", CaptureMode.class, CaptureMode.DEFAULT);
        return new EgressListener(port, bind, capture, f.strings("hosts"));
    }

    private static OutboundTrafficPolicy outbound(Fields f) {
        if (f == null) {
            return null;
        }
        var mode = EnumField.read(f, "mode", OutboundTrafficPolicy.Mode.class,
                OutboundTrafficPolicy.Mode.REGISTRY_ONLY);
        EgressProxy proxy = null;
        Fields e = f.object("egressProxy");
        if (e != null) {
            PortSelector port = null;
            Fields p = e.object("port");
            if (p != null) {
                port = new PortSelector(p.integer("number", 0));
                p.end();
            }
            proxy = new EgressProxy(e.string("host"), e.string("subset"), port);
            e.end();
        }
        f.end();
        return new OutboundTrafficPolicy(mode, proxy);
    }
}
