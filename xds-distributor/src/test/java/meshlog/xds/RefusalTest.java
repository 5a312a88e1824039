package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.envoyproxy.controlplane.cache.Resources;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import meshlog.configstore.status.ProxyStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An east distributor serves east's proxies only: another cluster's, or an unlabelled one, is refused. */
class RefusalTest {

    static Backends backends;

    XdsDistributor east;
    final List<ProxyStatus> published = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void backends() {
        backends = Backends.start("a");
    }

    @AfterAll
    static void stopBackends() {
        backends.close();
    }

    @BeforeEach
    void start() {
        east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()), published::add);
        east.accept(Mesh.split("east", Map.of("a", 100), Map.of("a", backends.port("a"))));
    }

    @AfterEach
    void stop() {
        east.close();
    }

    @Test
    void aGrpcClientClaimingWestCannotRouteThroughEast() throws InterruptedException {
        ManagedChannel west = XdsClients.channel(east.address(), "grpc-west", XdsClients.metadata("west", "ns1", "sa1"));
        try {
            StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
                    () -> Backends.who(west, Duration.ofSeconds(5)));
            assertThat(failure).as("the RPC must fail").isNotNull();
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(failure.getStatus().getDescription()).contains("PERMISSION_DENIED", "serves cluster 'east'");
        } finally {
            XdsClients.close(west);
        }
        assertThat(east.proxies()).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void aRawStreamClaimingWestIsClosedWithPermissionDenied() throws Exception {
        try (RawAds ads = new RawAds(east.address(), RawAds.node("sidecar~10.0.0.9~web-1.ns1~ns1.svc.cluster.local",
                XdsClients.metadata("west", "ns1", "sa1")))) {
            ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
            Status status = ads.awaitClose(Duration.ofSeconds(5));
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).isEqualTo("this xDS distributor serves cluster 'east'; proxy "
                    + "'sidecar~10.0.0.9~web-1.ns1~ns1.svc.cluster.local' claimed cluster 'west'");
            assertThat(ads.next(Duration.ZERO)).as("nothing was served").isNull();
        }
    }

    @Test
    void aNamespaceNoCertificateCanNameIsRefusedWithInvalidArgument() throws Exception {
        try (RawAds ads = new RawAds(east.address(), RawAds.node("odd",
                XdsClients.metadata("east", "Team_A/../x", "sa1")))) {
            ads.request(Resources.V3.SECRET_TYPE_URL, List.of("default"), "", "");
            Status status = ads.awaitClose(Duration.ofSeconds(5));
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).contains("NAMESPACE 'Team_A/../x' is not a Kubernetes name");
        }
    }

    @Test
    void aRawStreamWithoutClusterIdIsClosedWithPermissionDenied() throws Exception {
        try (RawAds ads = new RawAds(east.address(), RawAds.node("anonymous", Map.of("NAMESPACE", "ns1")))) {
            ads.request(Resources.V3.SECRET_TYPE_URL, List.of("default"), "", "");
            Status status = ads.awaitClose(Duration.ofSeconds(5));
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("serves cluster 'east'", "'anonymous' sent no CLUSTER_ID");
        }
    }

    @Test
    void aProxyChangingItsClusterMidStreamIsClosedWithPermissionDenied() throws Exception {
        try (RawAds ads = new RawAds(east.address(), RawAds.node("turncoat", XdsClients.metadata("east", "ns1", "sa1")))) {
            ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(Mesh.SERVICE), "", "");
            assertThat(ads.next(Duration.ofSeconds(5))).isNotNull();
            ads.requestAs(RawAds.node("turncoat", XdsClients.metadata("west", "ns1", "sa1")),
                    Resources.V3.CLUSTER_TYPE_URL, List.of(), "", "");
            Status status = ads.awaitClose(Duration.ofSeconds(5));
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("'turncoat' claimed cluster 'west'");
        }
    }

    @Test
    void aDeltaStreamIsRefusedTheSameWay() throws Exception {
        try (RawDeltaAds ads = new RawDeltaAds(east.address(), RawAds.node("sidecar~10.0.0.9~web-1.ns1~ns1.svc"
                + ".cluster.local", XdsClients.metadata("west", "ns1", "sa1")))) {
            ads.subscribe(Resources.V3.CLUSTER_TYPE_URL, List.of(), Map.of());
            Status status = ads.awaitClose(Duration.ofSeconds(5));
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).isEqualTo("this xDS distributor serves cluster 'east'; proxy "
                    + "'sidecar~10.0.0.9~web-1.ns1~ns1.svc.cluster.local' claimed cluster 'west'");
            assertThat(ads.next(Duration.ZERO)).as("nothing was served").isNull();
        }
        try (RawDeltaAds ads = new RawDeltaAds(east.address(), RawAds.node("odd",
                XdsClients.metadata("east", "ns1", "Bad_Account")))) {
            ads.subscribe(Resources.V3.CLUSTER_TYPE_URL, List.of(), Map.of());
            Status status = ads.awaitClose(Duration.ofSeconds(5));
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).contains("SERVICE_ACCOUNT 'Bad_Account' is not a Kubernetes name");
        }
        assertThat(east.proxies()).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void aDeltaProxyChangingItsClusterMidStreamIsClosedWithPermissionDenied() throws Exception {
        try (RawDeltaAds ads = new RawDeltaAds(east.address(), RawAds.node("turncoat",
                XdsClients.metadata("east", "ns1", "sa1")))) {
            ads.subscribe(Resources.V3.CLUSTER_TYPE_URL, List.of(), Map.of());
            assertThat(ads.next(Duration.ofSeconds(5))).isNotNull();
            ads.send(ads.request(Resources.V3.LISTENER_TYPE_URL)
                    .setNode(RawAds.node("turncoat", XdsClients.metadata("west", "ns1", "sa1"))));
            Status status = ads.awaitClose(Duration.ofSeconds(5));
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("'turncoat' claimed cluster 'west'");
        }
    }
}
