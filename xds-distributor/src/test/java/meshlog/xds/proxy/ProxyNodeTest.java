package meshlog.xds.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import meshlog.configstore.scope.ProxyScope;
import org.junit.jupiter.api.Test;

class ProxyNodeTest {

    static Node node(String id, String... keyValues) {
        Struct.Builder metadata = Struct.newBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            metadata.putFields(keyValues[i], Value.newBuilder().setStringValue(keyValues[i + 1]).build());
        }
        return Node.newBuilder().setId(id).setMetadata(metadata).build();
    }

    @Test
    void readsIstioMetadata() {
        ProxyNode proxy = ProxyNode.of(node("sidecar~10.0.0.1~web-1.shop~shop.svc.cluster.local",
                "CLUSTER_ID", "east", "NAMESPACE", "shop", "SERVICE_ACCOUNT", "web"));
        assertThat(proxy).isEqualTo(new ProxyNode("sidecar~10.0.0.1~web-1.shop~shop.svc.cluster.local", "east", "shop", "web",
                ProxyScope.grpc("shop")));
        assertThat(proxy.group()).isEqualTo(new ProxyGroup("east", "grpc~shop", "shop", "web"));
    }

    @Test
    void envoyIsASidecarOfItsNamespaceAndInterceptionModeAndGeneratorGrpcIsProxyless() {
        Node envoy = node("sidecar~10.0.0.1~web-1.shop~shop.svc.cluster.local", "CLUSTER_ID", "east",
                "INTERCEPTION_MODE", "NONE").toBuilder().setUserAgentName("envoy").build();
        assertThat(ProxyNode.of(envoy).scope())
                .isEqualTo(ProxyScope.sidecar("shop", java.util.Map.of(), ProxyScope.Interception.NONE));
        assertThat(ProxyNode.of(envoy).group().scope()).isEqualTo("sidecar~shop~NONE~" + ProxyScope.sidecar("shop",
                java.util.Map.of(), ProxyScope.Interception.NONE).id().substring("sidecar~shop~NONE~".length()));
        Node redirect = envoy.toBuilder().setMetadata(node("x", "NAMESPACE", "shop").getMetadata()).build();
        assertThat(ProxyNode.of(redirect).scope().interception()).isEqualTo(ProxyScope.Interception.REDIRECT);
        Node grpc = node("sidecar~10.0.0.1~web-1.shop~shop.svc.cluster.local", "GENERATOR", "grpc")
                .toBuilder().setUserAgentName("envoy").build();
        assertThat(ProxyNode.of(grpc).scope()).isEqualTo(ProxyScope.grpc("shop"));
        assertThat(ProxyNode.of(grpc).scope().id()).isEqualTo("grpc~shop");
    }

    @Test
    void anEnvoyWithARouterIdIsAGatewayOfItsNamespaceAndLabels() {
        Struct labels = Struct.newBuilder().putFields("istio", Value.newBuilder().setStringValue("ingressgateway")
                .build()).build();
        Node gateway = node("router~10.0.0.9~istio-ingressgateway-1.istio-system~istio-system.svc.cluster.local",
                "CLUSTER_ID", "east", "INTERCEPTION_MODE", "REDIRECT").toBuilder().setUserAgentName("envoy").build();
        gateway = gateway.toBuilder().setMetadata(gateway.getMetadata().toBuilder()
                .putFields("LABELS", Value.newBuilder().setStructValue(labels).build())).build();
        ProxyScope scope = ProxyNode.of(gateway).scope();
        assertThat(scope).isEqualTo(ProxyScope.router("istio-system", java.util.Map.of("istio", "ingressgateway")));
        assertThat(scope.id()).startsWith("router~istio-system~").doesNotContain("REDIRECT");
        assertThat(scope.id()).isNotEqualTo(ProxyScope.router("istio-system", java.util.Map.of()).id());
        // a proxyless gRPC client is never a gateway, whatever its id
        Node grpc = gateway.toBuilder().setUserAgentName("grpc-java").build();
        assertThat(ProxyNode.of(grpc).scope()).isEqualTo(ProxyScope.grpc("istio-system"));
    }

    @Test
    void anEnvoysLabelsAreItsScopeUnlessTheyAreOutOfBounds() {
        Struct labels = Struct.newBuilder().putFields("app", Value.newBuilder().setStringValue("web").build())
                .putFields("version", Value.newBuilder().setStringValue("v1").build()).build();
        Node envoy = node("sidecar~10.0.0.1~web-1.shop~shop.svc.cluster.local", "CLUSTER_ID", "east").toBuilder()
                .setUserAgentName("envoy").setMetadata(node("x", "CLUSTER_ID", "east").getMetadata().toBuilder()
                        .putFields("LABELS", Value.newBuilder().setStructValue(labels).build())).build();
        assertThat(ProxyNode.of(envoy).scope().labels()).containsExactly(java.util.Map.entry("app", "web"),
                java.util.Map.entry("version", "v1"));
        Struct hostile = labels.toBuilder().putFields("big", Value.newBuilder().setStringValue("x".repeat(64))
                .build()).build();
        Node tooLong = envoy.toBuilder().setMetadata(envoy.getMetadata().toBuilder()
                .putFields("LABELS", Value.newBuilder().setStructValue(hostile).build())).build();
        assertThat(ProxyNode.of(tooLong).scope().labels()).isEmpty();
    }

    @Test
    void takesTheNamespaceFromASidecarIdWhenTheMetadataHasNone() {
        ProxyNode proxy = ProxyNode.of(node("sidecar~10.0.0.1~web-1.shop~shop.svc.cluster.local", "CLUSTER_ID", "east"));
        assertThat(proxy.namespace()).isEqualTo("shop");
        assertThat(proxy.serviceAccount()).isEqualTo("default");
    }

    @Test
    void defaultsAnythingMissingExceptTheCluster() {
        ProxyNode proxy = ProxyNode.of(node("grpc-client", "NAMESPACE", " "));
        // Istio would refuse the id (not type~ip~id~domain); meshlog takes the client for one of namespace default,
        // as its certificate does, so short names resolve there.
        assertThat(proxy).isEqualTo(new ProxyNode("grpc-client", null, "default", "default",
                ProxyScope.grpc("default")));
        assertThat(proxy.group().scope()).isEqualTo("grpc~default");
    }

    @Test
    void ignoresMetadataThatIsNotAString() {
        Node node = Node.newBuilder().setId("x").setMetadata(Struct.newBuilder()
                .putFields("CLUSTER_ID", Value.newBuilder().setNumberValue(1).build())).build();
        assertThat(ProxyNode.of(node).cluster()).isNull();
    }

    @Test
    void findsTheNamespaceOnlyInTheSidecarShape() {
        assertThat(ProxyNode.namespaceInSidecarId("router~10.0.0.1~gw.ingress~ingress.svc.cluster.local")).isEqualTo("ingress");
        assertThat(ProxyNode.namespaceInSidecarId("grpc-client")).isNull();
        assertThat(ProxyNode.namespaceInSidecarId("a~b~c~")).isNull();
    }
}
