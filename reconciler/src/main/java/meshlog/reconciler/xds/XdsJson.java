package meshlog.reconciler.xds;

import meshlog.xdscheck.TypeUrls;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.Map;

/**
 * Published resource bytes as protobuf's JSON mapping, with {@code @type} in every {@code Any}: what
 * {@code meshlog proxy-config} prints and the golden files hold. Knows every type meshlog packs into an Any.
 */
public final class XdsJson {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder()
                    .add(HttpConnectionManager.getDescriptor())
                    .add(Router.getDescriptor())
                    .add(TcpProxy.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.clusters.dns.v3.DnsCluster.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.network.dns_resolver.cares.v3.CaresDnsResolverConfig
                            .getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst.getDescriptor())
                    .add(PreviousHostsPredicate.getDescriptor())
                    .add(HttpProtocolOptions.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication.getDescriptor())
                    .build());

    private static final Map<String, Parser<? extends Message>> PARSERS = Map.of(
            TypeUrls.LISTENER, Listener.parser(),
            TypeUrls.ROUTE, RouteConfiguration.parser(),
            TypeUrls.CLUSTER, Cluster.parser(),
            TypeUrls.ENDPOINT, ClusterLoadAssignment.parser());

    private XdsJson() {
    }

    /** The resource of {@code typeUrl} in {@code bytes}. */
    public static Message parse(String typeUrl, byte[] bytes) {
        Parser<? extends Message> parser = PARSERS.get(typeUrl);
        if (parser == null) {
            throw new IllegalArgumentException("not a type meshlog serves: " + typeUrl);
        }
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("unreadable " + typeUrl + ": " + e.getMessage(), e);
        }
    }

    /** One resource as pretty-printed JSON. */
    public static String print(String typeUrl, byte[] bytes) {
        try {
            return PRINTER.print(parse(typeUrl, bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a type the registry lacks: " + e.getMessage(), e);
        }
    }
}
