package meshlog.gatewayapi.parse;

import java.util.List;
import meshlog.gatewayapi.model.KubeGateway;
import meshlog.gatewayapi.model.KubeGateway.Address;
import meshlog.gatewayapi.model.KubeGateway.AllowedRoutes;
import meshlog.gatewayapi.model.KubeGateway.FromNamespaces;
import meshlog.gatewayapi.model.KubeGateway.Infrastructure;
import meshlog.gatewayapi.model.KubeGateway.LabelRequirement;
import meshlog.gatewayapi.model.KubeGateway.LabelSelector;
import meshlog.gatewayapi.model.KubeGateway.Listener;
import meshlog.gatewayapi.model.KubeGateway.ListenerTls;
import meshlog.gatewayapi.model.KubeGateway.RouteGroupKind;
import meshlog.gatewayapi.model.KubeGateway.RouteNamespaces;
import meshlog.gatewayapi.model.KubeGateway.SecretRef;
import meshlog.gatewayapi.model.KubeGateway.TlsMode;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code Gateway.spec} (Gateway API v1, standard channel). */
final class KubeGatewayReader {

    private KubeGatewayReader() {
    }

    static KubeGateway read(ObjectMeta meta, Fields spec) {
        // Gateway-wide TLS (client certificates, backend TLS) and ListenerSets: known, not modelled yet.
        spec.notImplemented("tls", "allowedListeners", "defaultScope");
        String className = spec.string("gatewayClassName");
        List<Listener> listeners = spec.objects("listeners", (f, i) -> listener(f));
        List<Address> addresses = spec.objects("addresses", (f, i) -> new Address(f.string("type"),
                f.string("value")));
        Infrastructure infrastructure = null;
        Fields inf = spec.object("infrastructure");
        if (inf != null) {
            var labels = inf.stringMap("labels");
            var annotations = inf.stringMap("annotations");
            Fields p = inf.object("parametersRef");
            infrastructure = new Infrastructure(labels, annotations, p == null ? null : KubeRouteReading.localRef(p));
            if (p != null) {
                p.end();
            }
            inf.end();
        }
        return new KubeGateway(meta, className, listeners, addresses, infrastructure);
    }

    private static Listener listener(Fields f) {
        ListenerTls tls = null;
        Fields t = f.object("tls");
        if (t != null) {
            tls = new ListenerTls(EnumField.read(t, "mode", TlsMode.class, null),
                    t.objects("certificateRefs", (c, i) -> new SecretRef(c.string("group"), c.string("kind"),
                            c.string("name"), c.string("namespace"))),
                    t.stringMap("options"));
            t.end();
        }
        return new Listener(f.string("name"), f.string("hostname"), f.integer("port", 0), f.string("protocol"), tls,
                allowedRoutes(f));
    }

    private static AllowedRoutes allowedRoutes(Fields parent) {
        Fields f = parent.object("allowedRoutes");
        if (f == null) {
            return null;
        }
        RouteNamespaces namespaces = null;
        Fields n = f.object("namespaces");
        if (n != null) {
            namespaces = new RouteNamespaces(EnumField.read(n, "from", FromNamespaces.class, null), selector(n));
            n.end();
        }
        var kinds = f.objects("kinds", (k, i) -> new RouteGroupKind(k.string("group"), k.string("kind")));
        f.end();
        return new AllowedRoutes(namespaces, kinds);
    }

    private static LabelSelector selector(Fields parent) {
        Fields f = parent.object("selector");
        if (f == null) {
            return null;
        }
        var labels = f.stringMap("matchLabels");
        var expressions = f.objects("matchExpressions", (e, i) -> new LabelRequirement(e.string("key"),
                e.string("operator"), e.strings("values")));
        f.end();
        return new LabelSelector(labels, expressions);
    }
}
