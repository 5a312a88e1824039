package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshlog.xds.grpc.EdgeLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection older than {@code --xds-max-connection-age} is told to go away and closed after the grace period,
 * so proxies behind a Service spread over the replicas again (a new replica gets its share); the proxy reconnects
 * and is served the same version.
 */
class ConnectionAgeTest {

    static final Duration AGE = Duration.ofSeconds(1);

    Backends backends;
    XdsDistributor east;

    @BeforeEach
    void start() {
        backends = Backends.start("a");
        east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()), s -> { },
                Clock.systemUTC(), true, EdgeLimits.DEFAULTS.withMaxConnectionAge(AGE));
        east.accept(Mesh.split("east", Map.of("a", 100), Map.of("a", backends.port("a"))));
    }

    @AfterEach
    void stop() {
        east.close();
        backends.close();
    }

    @Test
    void aConnectionPastItsAgeIsClosedAndTheProxyIsServedTheSameVersionOnItsNextOne() throws Exception {
        String version;
        long opened = System.nanoTime();
        try (RawAds ads = new RawAds(east.address(), RawAds.node("sidecar~10.0.0.9~web-1.ns1~ns1.svc.cluster.local",
                XdsClients.metadata("east", "ns1", "sa1")))) {
            ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
            DiscoveryResponse first = ads.next(Duration.ofSeconds(10));
            assertThat(first.getResourcesCount()).isEqualTo(1);
            version = first.getVersionInfo();
            ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), version, first.getNonce());

            // GOAWAY at the age (±10 % jitter), the stream cut when the grace period ends.
            Status status = ads.awaitClose(AGE.plus(EdgeLimits.CONNECTION_AGE_GRACE).plusSeconds(10));
            Duration lived = Duration.ofNanos(System.nanoTime() - opened);
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(lived).isGreaterThanOrEqualTo(AGE.multipliedBy(9).dividedBy(10));
        }
        try (RawAds again = new RawAds(east.address(), RawAds.node("sidecar~10.0.0.9~web-1.ns1~ns1.svc.cluster.local",
                XdsClients.metadata("east", "ns1", "sa1")))) {
            again.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), version, "");
            DiscoveryResponse next = again.next(Duration.ofSeconds(10));
            assertThat(next.getVersionInfo()).isEqualTo(version);
        }
    }

    @Test
    void theDefaultIsIstiosThirtyMinutesAndZeroMeansForEver() {
        assertThat(EdgeLimits.DEFAULTS.maxConnectionAge()).isEqualTo(Duration.ofMinutes(30));
        assertThat(EdgeLimits.DEFAULTS.withMaxConnectionAge(Duration.ZERO).maxConnectionAge()).isZero();
    }
}
