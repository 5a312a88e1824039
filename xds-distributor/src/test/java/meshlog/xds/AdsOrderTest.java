package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import meshlog.configstore.snapshot.ScopeSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ADS protocol as a proxy sees it: push order on a change of every type, and no delta xDS. */
class AdsOrderTest {

    XdsDistributor east;

    @BeforeEach
    void start() {
        east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()), status -> { });
    }

    @AfterEach
    void stop() {
        east.close();
    }

    @Test
    void pushesClustersThenEndpointsThenListenersThenRoutes() throws Exception {
        east.accept(Mesh.split("east", new TreeMap<>(Map.of("a", 50, "b", 50)), Map.of("a", 1001, "b", 1002)));
        Map<String, List<String>> subscriptions = Map.of(
                Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE),
                Resources.V3.ROUTE_TYPE_URL, List.of(Mesh.SERVICE),
                Resources.V3.CLUSTER_TYPE_URL, List.of(),
                Resources.V3.ENDPOINT_TYPE_URL, List.of("a", "b"));
        try (RawAds ads = new RawAds(east.address(), RawAds.node("envoy-1", XdsClients.metadata("east", "ns1", "sa1")))) {
            for (String type : List.of(Resources.V3.LISTENER_TYPE_URL, Resources.V3.ROUTE_TYPE_URL,
                    Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL)) {
                ads.request(type, subscriptions.get(type), "", "");
                DiscoveryResponse first = ads.next(Duration.ofSeconds(5));
                assertThat(first).as(type).isNotNull();
                ads.request(type, subscriptions.get(type), first.getVersionInfo(), first.getNonce());
            }
            assertThat(ads.next(Duration.ofMillis(200))).as("nothing more until a change").isNull();

            east.accept(everyTypeChanged());

            List<String> order = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                DiscoveryResponse pushed = ads.next(Duration.ofSeconds(5));
                assertThat(pushed).as("push " + i).isNotNull();
                order.add(pushed.getTypeUrl());
            }
            assertThat(order).containsExactly(Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL,
                    Resources.V3.LISTENER_TYPE_URL, Resources.V3.ROUTE_TYPE_URL);
        }
    }

    @Test
    void deltaXdsIsRefusedAsUnimplemented() throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilder(east.address(), InsecureChannelCredentials.create()).build();
        try {
            CompletableFuture<Status> closed = new CompletableFuture<>();
            StreamObserver<DeltaDiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                    .deltaAggregatedResources(new StreamObserver<>() {
                        @Override
                        public void onNext(DeltaDiscoveryResponse response) {
                            closed.completeExceptionally(new AssertionError("no delta response expected"));
                        }

                        @Override
                        public void onError(Throwable t) {
                            closed.complete(Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            closed.complete(Status.OK);
                        }
                    });
            requests.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(Resources.V3.CLUSTER_TYPE_URL).build());
            Status status = closed.get(5, TimeUnit.SECONDS);
            assertThat(status.getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
            assertThat(status.getDescription()).contains("delta xDS is not served");
        } finally {
            channel.shutdownNow();
        }
    }

    /** New ports (EDS), weights (RDS), a third cluster (CDS) and a second listener (LDS). */
    static ScopeSnapshot everyTypeChanged() {
        Map<String, Map<String, byte[]>> resources = new TreeMap<>(Mesh.split("east",
                new TreeMap<>(Map.of("a", 90, "b", 10)), Map.of("a", 2001, "b", 2002)).resources());
        resources.replaceAll((type, byName) -> new TreeMap<>(byName));
        Mesh.put(resources, Resources.V3.CLUSTER_TYPE_URL, "c", Mesh.cluster("c"));
        Mesh.put(resources, Resources.V3.ENDPOINT_TYPE_URL, "c", Mesh.endpoints("east", "c", 2003));
        Listener second = Mesh.listener().toBuilder().setName("other.example:80").build();
        Mesh.put(resources, Resources.V3.LISTENER_TYPE_URL, second.getName(), second);
        return Mesh.of("east", resources);
    }
}
