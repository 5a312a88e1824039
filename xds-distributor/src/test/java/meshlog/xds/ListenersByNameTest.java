package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gRPC client's LDS request names every target it dials; one that names no service (a typo, a short name of
 * another namespace) must not keep the others from being answered, as istiod answers with what it has.
 */
class ListenersByNameTest {

    XdsDistributor east;

    @BeforeEach
    void start() {
        east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()), status -> { });
        east.accept(Mesh.split("east", new TreeMap<>(Map.of("a", 100)), Map.of("a", 1001)));
    }

    @AfterEach
    void stop() {
        east.close();
    }

    @Test
    void anUnknownListenerNameIsLeftOutAndTheKnownOneIsAnsweredAtOnce() throws Exception {
        try (RawAds ads = new RawAds(east.address(), RawAds.node("grpc-1", XdsClients.metadata("east", "ns1", "sa1")))) {
            ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE, "nosuch:7070"), "", "");
            DiscoveryResponse response = ads.next(Duration.ofSeconds(5));
            assertThat(response).as("an LDS response").isNotNull();
            assertThat(response.getResourcesList()).extracting(r -> r.unpack(Listener.class).getName())
                    .containsExactly(Mesh.SERVICE);
        }
    }

    @Test
    void aRequestNamingOnlyUnknownListenersGetsAnEmptyAnswer() throws Exception {
        try (RawAds ads = new RawAds(east.address(), RawAds.node("grpc-1", XdsClients.metadata("east", "ns1", "sa1")))) {
            ads.request(Resources.V3.LISTENER_TYPE_URL, List.of("nosuch:7070"), "", "");
            DiscoveryResponse response = ads.next(Duration.ofSeconds(5));
            assertThat(response).as("an LDS response").isNotNull();
            assertThat(response.getResourcesList()).isEmpty();
        }
    }
}
