package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import meshlog.reconciler.simulate.SimRequest;
import meshlog.reconciler.simulate.SimResult;
import meshlog.reconciler.simulate.TrafficSimulator;
import meshlog.testkit.EnvoyBinary;
import meshlog.testkit.HttpBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traffic simulator and a real Envoy 1.40 sidecar agree: the same requests, through the config a distributor
 * serves that sidecar (interception NONE, bound at {@code 127.0.0.1_<port>}), end where the simulator says: its
 * cluster's backend answers ({@code v1}, {@code v2}; PassthroughCluster: no backend), or its direct response or
 * redirect comes back. Each row also names the route the simulator must pick, so a wrong simulator fails even
 * where Envoy happens to answer alike.
 */
class SimulatorAgreesWithEnvoyTest {

    static final String ROUTES = """
              - name: canary
                match: [{uri: {prefix: /api/}, headers: {x-canary: {exact: "yes"}}}]
                route: [{destination: {host: web, subset: v2}}]
              - name: exact
                match: [{uri: {exact: /login}}]
                route: [{destination: {host: web, subset: v2}}]
              - name: beta
                match: [{queryParams: {beta: {exact: "1"}}}]
                route: [{destination: {host: web, subset: v2}}]
              - name: gone
                match: [{uri: {exact: /gone}}]
                directResponse: {status: 410, body: {string: gone}}
              - name: moved
                match: [{uri: {prefix: /old}, withoutHeaders: {x-keep: {exact: "1"}}}]
                redirect: {uri: /new, redirectCode: 301}
              - name: rest
                route: [{destination: {host: web, subset: v1}}]
            """;

    /** host, path, expected route, then header name/value pairs. */
    record Row(String host, String path, String route, String... headers) {
    }

    @TempDir
    static Path tmp;
    static HttpBackend v1;
    static HttpBackend v2;
    static int port;
    static String yaml;
    static EnvoySidecar sidecar;

    @BeforeAll
    static void start() {
        EnvoyBinary.require();
        v1 = HttpBackend.start("v1");
        v2 = HttpBackend.start("v2");
        port = EnvoySidecar.freePort();
        yaml = EnvoySidecar.webConfig(port, v1.port(), v2.port(), ROUTES);
        sidecar = EnvoySidecar.start(tmp, yaml, true);
    }

    @AfterAll
    static void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        if (v1 != null) {
            v1.close();
            v2.close();
        }
    }

    @Test
    void everyRequestEndsWhereTheSimulatorSays() {
        List<Row> rows = List.of(
                new Row("web", "/api/orders", "canary", "x-canary", "yes"),
                new Row("web.demo:" + port, "/api/orders", "canary", "x-canary", "yes"),
                new Row("web", "/api/orders", "rest", "x-canary", "no"),
                new Row("web", "/shop", "rest", "x-canary", "yes"),
                new Row("web", "/login", "exact"),
                new Row("web", "/login/more", "rest"),
                new Row("web", "/search?beta=1", "beta"),
                new Row("web", "/search?beta=2", "rest"),
                new Row("web", "/gone", "gone"),
                new Row("web", "/old/page", "moved"),
                new Row("web", "/old/page", "rest", "x-keep", "1"),
                new Row("web.other", "/api/orders", "allow_any", "x-canary", "yes"));
        Map<String, Map<String, byte[]>> resources = EnvoySidecar.snapshot(yaml).resources();
        HttpCalls calls = new HttpCalls(port);
        for (Row row : rows) {
            SimRequest req = SimRequest.http("127.0.0.1", port, row.host(), row.path()).uncaptured();
            for (int i = 0; i + 1 < row.headers().length; i += 2) {
                req = req.withHeader(row.headers()[i], row.headers()[i + 1]);
            }
            SimResult sim = TrafficSimulator.simulate(resources, req);
            String what = row.host() + row.path() + " " + List.of(row.headers());
            assertThat(sim.listener()).as(what).isEqualTo("127.0.0.1_" + port);
            assertThat(sim.route()).as(what).isEqualTo(row.route());
            HttpCalls.Answer envoy = calls.get(row.host(), row.path(), row.headers());
            switch (sim.outcome()) {
                case CLUSTER -> assertThat(envoy.backend()).as(what + " via " + sim.cluster())
                        .isEqualTo(backendOf(sim.cluster()));
                case DIRECT_RESPONSE -> {
                    assertThat(envoy.status()).as(what).isEqualTo(sim.directResponse().status());
                    assertThat(envoy.body()).as(what).isEqualTo(sim.directResponse().body());
                }
                case REDIRECT -> {
                    assertThat(envoy.status()).as(what).isEqualTo(sim.redirect().status());
                    assertThat(envoy.headers().get("location")).as(what).isEqualTo(sim.redirect().scheme() + "://"
                            + sim.redirect().host() + sim.redirect().path());
                }
                default -> throw new AssertionError(what + ": " + sim);
            }
        }
        assertThat(sidecar.envoy().stat("listener_manager.lds.update_rejected")).isEqualTo(0);
        assertThat(sidecar.envoy().stat("cluster_manager.cds.update_rejected")).isEqualTo(0);
        assertThat(sidecar.nacks()).isEqualTo(0);
    }

    /** The backend behind a cluster of this config: its subset, or none for the passthrough. */
    private static String backendOf(String cluster) {
        if (cluster.equals("PassthroughCluster")) {
            return ""; // the original destination of a bound listener is Envoy itself, no backend answers
        }
        return cluster.split("\\|")[2];
    }
}
