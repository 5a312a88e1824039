package meshlog.gatewayapi.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.KubeGateway;
import meshlog.gatewayapi.model.KubeGateway.CoreProtocol;
import meshlog.gatewayapi.model.KubeGateway.FromNamespaces;
import meshlog.gatewayapi.model.KubeGateway.LabelRequirement;
import meshlog.gatewayapi.model.KubeGateway.RouteGroupKind;
import meshlog.gatewayapi.model.KubeGateway.SecretRef;
import meshlog.gatewayapi.model.KubeGateway.TlsMode;
import meshlog.gatewayapi.model.KubeRouteParts.LocalRef;
import org.junit.jupiter.api.Test;

/** A Gateway using every field meshlog models is accepted and reads as written, with the CRD's defaults. */
class KubeGatewayValidTest {

    static final String GATEWAY = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: infra}
            spec:
              gatewayClassName: istio
              listeners:
              - name: http
                hostname: "*.example.com"
                port: 80
                protocol: HTTP
                allowedRoutes:
                  namespaces:
                    from: Selector
                    selector:
                      matchLabels: {shared-gateway-access: "true"}
                      matchExpressions:
                      - {key: team, operator: In, values: [a, b]}
                      - {key: legacy, operator: DoesNotExist}
                  kinds:
                  - kind: HTTPRoute
                  - {group: gateway.networking.k8s.io, kind: GRPCRoute}
              - name: https
                hostname: shop.example.com
                port: 443
                protocol: https
                tls:
                  mode: Terminate
                  certificateRefs:
                  - name: shop-cert
                  - {group: "", kind: Secret, name: other-cert, namespace: certs}
                  options:
                    example.com/min-version: "1.2"
                allowedRoutes:
                  namespaces: {from: All}
              - name: passthrough
                port: 8443
                protocol: TLS
                tls: {mode: Passthrough}
              - name: tcp
                port: 9000
                protocol: TCP
              addresses:
              - value: 10.0.0.1
              - {type: IPAddress, value: "2001:db8::1"}
              - {type: Hostname, value: gw.example.com}
              - type: example.com/PoolName
              infrastructure:
                labels: {team: edge}
                annotations: {example.com/owner: "platform team"}
                parametersRef: {group: "", kind: ConfigMap, name: edge-options}
            """;

    @Test
    void everyFieldReadsAsWritten() {
        KubeGateway gw = KubeYaml.readClean(GATEWAY, KubeGateway.class);

        assertThat(gw.key().kind()).isEqualTo(KubeGateway.QUALIFIED_KIND);
        assertThat(gw.gatewayClassName()).isEqualTo("istio");
        assertThat(gw.listeners()).hasSize(4);
        var http = gw.listeners().get(0);
        assertThat(http.hostname()).isEqualTo("*.example.com");
        assertThat(http.tls()).isNull();
        assertThat(http.allowedRoutes().namespaces().from()).isEqualTo(FromNamespaces.Selector);
        assertThat(http.allowedRoutes().namespaces().selector().matchLabels())
                .isEqualTo(Map.of("shared-gateway-access", "true"));
        assertThat(http.allowedRoutes().namespaces().selector().matchExpressions()).containsExactly(
                new LabelRequirement("team", "In", List.of("a", "b")),
                new LabelRequirement("legacy", "DoesNotExist", List.of()));
        assertThat(http.allowedRoutes().kinds()).containsExactly(
                new RouteGroupKind("gateway.networking.k8s.io", "HTTPRoute"),
                new RouteGroupKind("gateway.networking.k8s.io", "GRPCRoute"));

        var https = gw.listeners().get(1);
        assertThat(https.coreProtocol()).as("protocols compare case-insensitively").isEqualTo(CoreProtocol.HTTPS);
        assertThat(https.tls().mode()).isEqualTo(TlsMode.Terminate);
        assertThat(https.tls().certificateRefs()).containsExactly(new SecretRef("", "Secret", "shop-cert", null),
                new SecretRef("", "Secret", "other-cert", "certs"));
        assertThat(https.tls().certificateRefs().get(0).namespaceOr("infra")).isEqualTo("infra");
        assertThat(https.tls().options()).containsEntry("example.com/min-version", "1.2");
        assertThat(https.allowedRoutes().namespaces().from()).isEqualTo(FromNamespaces.All);

        assertThat(gw.listeners().get(2).tls().mode()).isEqualTo(TlsMode.Passthrough);
        var tcp = gw.listeners().get(3);
        assertThat(tcp.allowedRoutes().namespaces().from()).as("default").isEqualTo(FromNamespaces.Same);
        assertThat(tcp.allowedRoutes().kinds()).isEmpty();

        assertThat(gw.addresses()).extracting(KubeGateway.Address::type)
                .containsExactly("IPAddress", "IPAddress", "Hostname", "example.com/PoolName");
        assertThat(gw.addresses().get(3).value()).isNull();
        assertThat(gw.infrastructure().labels()).isEqualTo(Map.of("team", "edge"));
        assertThat(gw.infrastructure().annotations()).containsEntry("example.com/owner", "platform team");
        assertThat(gw.infrastructure().parametersRef()).isEqualTo(new LocalRef("", "ConfigMap", "edge-options"));
    }

    @Test
    void theV1beta1VersionIsAcceptedToo() {
        KubeGateway gw = KubeYaml.readClean(GATEWAY.replace("gateway.networking.k8s.io/v1\n",
                "gateway.networking.k8s.io/v1beta1\n"), KubeGateway.class);

        assertThat(gw.listeners()).hasSize(4);
    }

    @Test
    void gatewayWideTlsIsKnownButNotModelled() {
        var c = KubeYaml.compile(GATEWAY + """
                  tls:
                    frontend:
                      default:
                        validation:
                          caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
                """);

        assertThat(c.errors()).isEmpty();
        assertThat(c.warnings()).anySatisfy(d -> {
            assertThat(d.code()).isEqualTo("ML0004");
            assertThat(d.path()).isEqualTo("spec.tls");
        });
    }
}
