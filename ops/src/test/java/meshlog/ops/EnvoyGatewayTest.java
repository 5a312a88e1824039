package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.reconciler.ir.GatewayListenerIr;
import meshlog.reconciler.ir.MeshIr;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Envoy 1.40 as an Istio ingress gateway (node id {@code router~...}, labels {@code istio=ingressgateway},
 * from the bootstrap {@code meshlog bootstrap} writes), fed by a real distributor the reconciler's gateway
 * translation of an Istio Gateway and its VirtualServices, carrying real HTTP and HTTPS traffic on 127.0.0.1:
 * host and path routing, 404 for a host no VirtualService binds, TLS terminated with certificates from files,
 * mutual TLS, an HTTPS redirect, and TLS passed through by SNI to a backend that terminates it itself. The
 * listeners keep Istio's names ({@code 0.0.0.0_<port>}); only the address they bind is moved to loopback.
 */
class EnvoyGatewayTest {

    static final String NODE_ID = "router~127.0.0.1~istio-ingressgateway-1.istio-system~istio-system.svc.cluster.local";
    static final ProxyScope SCOPE = ProxyScope.router("istio-system", Map.of("istio", "ingressgateway",
            "app", "istio-ingressgateway"));

    @TempDir
    static Path tmp;
    static HttpBackend web;
    static HttpBackend api;
    static TlsBackend vault;
    static TestPki pki;
    static EnvoySidecar gateway;
    static int httpPort;
    static int redirectPort;
    static int httpsPort;

    @BeforeAll
    static void start() throws Exception {
        EnvoyBinary.require();
        pki = new TestPki();
        Path certs = Files.createDirectories(tmp.resolve("certs"));
        pki.issue("shop.example.com").write(certs, "shop");
        pki.issue("admin.example.com").write(certs, "admin");
        pki.writeCa(certs, "clients-ca");
        web = HttpBackend.start("web");
        api = HttpBackend.start("api");
        vault = new TlsBackend("vault", serverContext(pki.issue("vault.example.com")));
        httpPort = EnvoySidecar.freePort();
        redirectPort = EnvoySidecar.freePort();
        httpsPort = EnvoySidecar.freePort();
        EnvoySidecar.Spec spec = new EnvoySidecar.Spec("127.0.0.1", NODE_ID, SCOPE, EnvoyBootstrap::text, List.of());
        gateway = EnvoySidecar.start(tmp, config(certs), spec, EnvoyGatewayTest::onLoopback);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, web, api, vault}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** Istio's gateway listeners bind 0.0.0.0; here they bind 127.0.0.1 (tests stay on loopback), same names. */
    static MeshIr onLoopback(MeshIr ir) {
        return new MeshIr(ir.listeners().stream().map(l -> l instanceof GatewayListenerIr g
                ? new GatewayListenerIr(g.name(), "127.0.0.1", g.port(), g.chains()) : l).toList(),
                ir.routeTables(), ir.clusters(), ir.notes());
    }

    /** Service {@code <name>.shop} on {@code port} ({@code protocol}), its one endpoint at 127.0.0.1:{@code backend}. */
    static String serviceEntry(String name, int port, String protocol, int backend) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %1$s, namespace: shop}
                spec:
                  hosts: [%1$s.shop.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %2$d, name: p, protocol: %3$s}]
                  endpoints: [{address: 127.0.0.1, ports: {p: %4$d}}]
                ---
                """.formatted(name, port, protocol, backend);
    }

    static String config(Path certs) {
        return serviceEntry("web", 8080, "HTTP", web.port()) + serviceEntry("api", 8080, "HTTP", api.port())
                + serviceEntry("vault", 8443, "TLS", vault.port()) + """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: public, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: %1$d, name: http, protocol: HTTP}
                    hosts: ["shop/*.example.com"]
                  - port: {number: %2$d, name: http-redirect, protocol: HTTP}
                    hosts: ["shop.example.com"]
                    tls: {httpsRedirect: true}
                  - port: {number: %3$d, name: https, protocol: HTTPS}
                    hosts: ["shop.example.com"]
                    tls: {mode: SIMPLE, serverCertificate: %4$s/shop.pem, privateKey: %4$s/shop-key.pem,
                          minProtocolVersion: TLSV1_2}
                  - port: {number: %3$d, name: https-admin, protocol: HTTPS}
                    hosts: ["admin.example.com"]
                    tls: {mode: MUTUAL, serverCertificate: %4$s/admin.pem, privateKey: %4$s/admin-key.pem,
                          caCertificates: %4$s/clients-ca.pem}
                  - port: {number: %3$d, name: tls-vault, protocol: TLS}
                    hosts: ["vault.example.com"]
                    tls: {mode: PASSTHROUGH}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: shop, namespace: shop}
                spec:
                  hosts: [shop.example.com, admin.example.com]
                  gateways: [istio-system/public]
                  http:
                  - match: [{uri: {prefix: /api/}}]
                    route: [{destination: {host: api}}]
                  - route: [{destination: {host: web}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: vault, namespace: shop}
                spec:
                  hosts: [vault.example.com]
                  gateways: [istio-system/public]
                  tls:
                  - match: [{sniHosts: [vault.example.com]}]
                    route: [{destination: {host: vault}}]
                """.formatted(httpPort, redirectPort, httpsPort, certs);
    }

    static javax.net.ssl.SSLContext serverContext(TestPki.Leaf leaf) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("leaf", leaf.keys().getPrivate(), new char[0],
                new java.security.cert.Certificate[] {leaf.certificate()});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    @Test
    void listenersAndRouteTablesHaveIstiosGatewayNames() {
        assertThat(gateway.names("ListenersConfigDump", "dynamic_listeners", "/name")).containsExactlyInAnyOrder(
                "0.0.0.0_" + httpPort, "0.0.0.0_" + redirectPort, "0.0.0.0_" + httpsPort);
        assertThat(gateway.names("RoutesConfigDump", "dynamic_route_configs", "/route_config/name"))
                .containsExactlyInAnyOrder("http." + httpPort, "http." + redirectPort,
                        "https." + httpsPort + ".https.public.istio-system",
                        "https." + httpsPort + ".https-admin.public.istio-system");
        assertThat(gateway.nacks()).isZero();
    }

    @Test
    void hostAndPathRouteToTheirBackendsAndAnUnboundHostGets404() {
        HttpCalls calls = new HttpCalls(httpPort);
        assertThat(calls.get("shop.example.com", "/api/items").backend()).isEqualTo("api");
        assertThat(calls.get("shop.example.com", "/cart").backend()).isEqualTo("web");
        assertThat(calls.get("admin.example.com:" + httpPort, "/").backend()).isEqualTo("web");
        HttpCalls.Answer unbound = calls.get("unknown.example.com", "/api/items");
        assertThat(unbound.status()).isEqualTo(404);
        assertThat(unbound.backend()).isEmpty();
    }

    @Test
    void httpsIsTerminatedWithTheServersCertificateFromItsFile() throws Exception {
        HttpCalls calls = new HttpCalls("127.0.0.1", httpsPort, pki.context(null));
        HttpCalls.Answer a = calls.get("shop.example.com", "/api/items");
        assertThat(a.status()).as("%s", a.headers()).isEqualTo(200);
        assertThat(a.backend()).isEqualTo("api");
        assertThat(calls.lastPeerCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=shop.example.com");
    }

    @Test
    void mutualTlsAdmitsAClientCertificateOfTheCaAndRefusesNone() throws Exception {
        HttpCalls withCert = new HttpCalls("127.0.0.1", httpsPort, pki.context(pki.issue("ops.example.com")));
        HttpCalls.Answer a = withCert.get("admin.example.com", "/");
        assertThat(a.status()).as("%s", a.headers()).isEqualTo(200);
        assertThat(a.backend()).isEqualTo("web");
        assertThat(withCert.lastPeerCertificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=admin.example.com");
        web.reset();
        String noCert = "listener.127.0.0.1_" + httpsPort + ".ssl.fail_verify_no_cert";
        long before = gateway.envoy().stat(noCert);
        HttpCalls.Answer refused = new HttpCalls("127.0.0.1", httpsPort, pki.context(null))
                .get("admin.example.com", "/");
        assertThat(refused.status()).as("no HTTP answer without a client certificate").isEqualTo(-1);
        // TLS 1.3: the client learns of the refusal after its Finished (broken pipe or an alert), Envoy says why
        assertThat(gateway.envoy().stat(noCert)).as(noCert).isEqualTo(before + 1);
        assertThat(web.count()).isZero();
    }

    @Test
    void plainHttpOnTheRedirectServerGets301ToHttps() {
        HttpCalls.Answer a = new HttpCalls(redirectPort).get("shop.example.com", "/cart?id=7");
        assertThat(a.status()).isEqualTo(301);
        assertThat(a.headers().get("location")).isEqualTo("https://shop.example.com/cart?id=7");
        assertThat(a.backend()).isEmpty();
    }

    @Test
    void tlsForThePassthroughHostReachesTheBackendStillEncrypted() throws Exception {
        HttpCalls calls = new HttpCalls("127.0.0.1", httpsPort, pki.context(null));
        int before = vault.served();
        HttpCalls.Answer a = calls.get("vault.example.com", "/v1/secret");
        assertThat(a.status()).as("%s", a.headers()).isEqualTo(200);
        assertThat(a.backend()).isEqualTo("vault");
        // the certificate is the backend's own: the gateway did not terminate this connection
        assertThat(calls.lastPeerCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=vault.example.com");
        assertThat(vault.served()).isEqualTo(before + 1);
    }
}
