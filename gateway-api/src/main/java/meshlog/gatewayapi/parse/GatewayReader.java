package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.Gateway;
import meshlog.gatewayapi.model.Gateway.Server;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code Gateway.spec} (Istio's {@code networking.istio.io} Gateway). */
final class GatewayReader {

    private GatewayReader() {
    }

    static Gateway read(ObjectMeta meta, Fields spec) {
        var selector = spec.stringMap("selector");
        var servers = spec.objects("servers", (f, i) -> server(f));
        return new Gateway(meta, selector, servers);
    }

    private static Server server(Fields f) {
        var port = ServerTlsReader.port(f.object("port"));
        var bind = f.string("bind");
        var hosts = f.strings("hosts");
        var tls = ServerTlsReader.tls(f.object("tls"));
        return new Server(port, bind, hosts, tls, f.string("defaultEndpoint"), f.string("name"));
    }
}
