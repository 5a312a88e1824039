package meshlog.reconciler.xds;

import com.google.protobuf.UInt32Value;
import java.util.List;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.EndpointIr;
import meshlog.reconciler.ir.LocalityGroupIr;

/**
 * A backend's endpoints as a ClusterLoadAssignment. Every locality carries a load-balancing weight (the gRPC client
 * ignores a locality without one) and its priority; every endpoint its weight, and {@code tlsMode: istio} metadata
 * when its workload runs a proxy (for auto mTLS).
 */
final class EndpointBuilder {

    private EndpointBuilder() {
    }

    /**
     * Everything an assignment is built from, and nothing else: two backends differing only in what the cluster
     * carries (policy, HTTP/2) have one assignment, built once ({@link ResourceMemo}).
     */
    record Inputs(String clusterName, List<LocalityGroupIr> localities) {
        static Inputs of(BackendIr ir) {
            return new Inputs(ir.name(), ir.localities());
        }
    }

    static ClusterLoadAssignment build(BackendIr ir) {
        return build(Inputs.of(ir));
    }

    static ClusterLoadAssignment build(Inputs in) {
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(in.clusterName());
        for (LocalityGroupIr g : in.localities()) {
            LocalityLbEndpoints.Builder lle = LocalityLbEndpoints.newBuilder()
                    .setLocality(Locality.newBuilder().setRegion(g.locality().region()).setZone(g.locality().zone())
                            .setSubZone(g.locality().subZone()))
                    .setLoadBalancingWeight(UInt32Value.of(g.weight()))
                    .setPriority(g.priority());
            g.endpoints().forEach(e -> lle.addLbEndpoints(endpoint(e)));
            cla.addEndpoints(lle);
        }
        return cla.build();
    }

    private static LbEndpoint endpoint(EndpointIr e) {
        LbEndpoint.Builder lb = LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                        SocketAddress.newBuilder().setAddress(e.address()).setPortValue(e.port()))))
                .setLoadBalancingWeight(UInt32Value.of(e.weight()));
        if (e.istioMtls()) {
            // What auto mTLS's transport socket match selects: this workload runs a proxy.
            lb.setMetadata(Metadata.newBuilder().putFilterMetadata(UpstreamTlsBuilder.SOCKET_MATCH_METADATA,
                    UpstreamTlsBuilder.istioTlsMode()));
        }
        return lb.build();
    }
}
