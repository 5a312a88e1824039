package meshlog.ops.bench;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A delta ADS client that behaves as Envoy does towards its control plane, without being one (2,000 real Envoys do
 * not fit on 2 cores): it identifies itself as a sidecar (user agent {@code envoy}, namespace, labels, NONE
 * interception), subscribes to every cluster and listener (wildcard), to the endpoints of every EDS cluster it is
 * given and to one route table, and ACKs every response. It records when each type last changed for it.
 */
final class SimulatedEnvoy {

    static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

    private final StreamObserver<DeltaDiscoveryRequest> requests;
    /** Sent on every request, as Envoy does by default ({@code set_node_on_first_message_only: false}). */
    private final Node node;
    /** Type URL → nanoTime of the last response of that type. */
    final Map<String, Long> lastResponse = new ConcurrentHashMap<>();
    /** Type URL → responses received. */
    final Map<String, AtomicLong> responses = new ConcurrentHashMap<>();
    private volatile boolean failed;
    /** Each endpoint assignment received, parsed; null when nobody reads them. */
    private final java.util.function.Consumer<ClusterLoadAssignment> onEndpoints;

    SimulatedEnvoy(Channel channel, String id, String cluster, String namespace, Map<String, String> labels,
                   String routeTable) {
        this(channel, id, cluster, namespace, labels, routeTable, null);
    }

    SimulatedEnvoy(Channel channel, String id, String cluster, String namespace, Map<String, String> labels,
                   String routeTable, java.util.function.Consumer<ClusterLoadAssignment> onEndpoints) {
        this.onEndpoints = onEndpoints;
        Struct.Builder l = Struct.newBuilder();
        labels.forEach((k, v) -> l.putFields(k, Value.newBuilder().setStringValue(v).build()));
        node = Node.newBuilder().setId(id).setUserAgentName("envoy").setMetadata(Struct.newBuilder()
                .putFields("CLUSTER_ID", text(cluster)).putFields("NAMESPACE", text(namespace))
                .putFields("INTERCEPTION_MODE", text("NONE"))
                .putFields("LABELS", Value.newBuilder().setStructValue(l).build())).build();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(new Observer());
        synchronized (this) {
            requests.onNext(request(CDS).build());
            requests.onNext(request(LDS).build());
            requests.onNext(request(RDS).addResourceNamesSubscribe(routeTable).build());
        }
    }

    private DeltaDiscoveryRequest.Builder request(String typeUrl) {
        return DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(typeUrl);
    }

    private static Value text(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    boolean failed() {
        return failed;
    }

    long count(String type) {
        AtomicLong n = responses.get(type);
        return n == null ? 0 : n.get();
    }

    private final class Observer implements StreamObserver<DeltaDiscoveryResponse> {
        @Override
        public void onNext(DeltaDiscoveryResponse response) {
            String type = response.getTypeUrl();
            responses.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
            lastResponse.put(type, System.nanoTime());
            if (onEndpoints != null && type.equals(EDS)) {
                for (Resource r : response.getResourcesList()) {
                    try {
                        onEndpoints.accept(r.getResource().unpack(ClusterLoadAssignment.class));
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        failed = true;
                    }
                }
            }
            synchronized (SimulatedEnvoy.this) {
                if (type.equals(CDS)) {
                    List<String> eds = response.getResourcesList().stream().filter(SimulatedEnvoy::isEds)
                            .map(Resource::getName).toList();
                    if (!eds.isEmpty()) {
                        requests.onNext(request(EDS).addAllResourceNamesSubscribe(eds).build());
                    }
                }
                requests.onNext(request(type).setResponseNonce(response.getNonce()).build());
            }
        }

        @Override
        public void onError(Throwable t) {
            failed = true;
        }

        @Override
        public void onCompleted() {
            failed = true;
        }
    }

    /** Whether a delta CDS resource is a cluster served over EDS (Istio's fixed clusters are not). */
    private static boolean isEds(Resource r) {
        return r.getName().startsWith("outbound|");
    }

    void close() {
        synchronized (this) {
            try {
                requests.onCompleted();
            } catch (IllegalStateException closed) {
                // already over
            }
        }
    }
}
