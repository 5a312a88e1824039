package meshlog.xdscheck;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.clusters.dns.v3.DnsCluster;
import java.util.List;
import java.util.TreeSet;

/** A cluster's discovery shape, and an endpoint assignment's localities and priorities. */
final class ClusterCheck {

    private ClusterCheck() {
    }

    static void cluster(String name, Cluster c, SnapshotCheck.Held held, List<String> out)
            throws InvalidProtocolBufferException {
        String what = "cluster " + name;
        if (c.getType() == Cluster.DiscoveryType.STATIC && !c.hasClusterType() && !name.equals("BlackHoleCluster")
                && c.getLoadAssignment().getEndpointsList().stream().flatMap(e -> e.getLbEndpointsList().stream())
                .noneMatch(e -> !e.getEndpoint().getAddress().getSocketAddress().getAddress().isEmpty()
                        || !e.getEndpoint().getAddress().getPipe().getPath().isEmpty())) {
            out.add(what + ": is STATIC without an endpoint address (only BlackHoleCluster may be)");
        }
        if (c.getType() == Cluster.DiscoveryType.EDS) {
            String service = c.getEdsClusterConfig().getServiceName();
            String eds = service.isEmpty() ? name : service;
            if (!held.endpoints().contains(eds)) {
                out.add(what + ": has no endpoint assignment \"" + eds + "\" in the snapshot");
            }
        } else if (c.getType() == Cluster.DiscoveryType.LOGICAL_DNS || logicalDns(c)) {
            int n = c.getLoadAssignment().getEndpointsList().stream()
                    .mapToInt(LocalityLbEndpoints::getLbEndpointsCount).sum();
            if (c.getLoadAssignment().getEndpointsCount() != 1 || n != 1) {
                out.add(what + ": a LOGICAL_DNS cluster needs exactly one endpoint, has " + n);
            }
        } else if (c.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
            if (c.getLbPolicy() != Cluster.LbPolicy.CLUSTER_PROVIDED) {
                out.add(what + ": an ORIGINAL_DST cluster needs lb_policy CLUSTER_PROVIDED, has " + c.getLbPolicy());
            }
            if (c.hasLoadAssignment()) {
                out.add(what + ": an ORIGINAL_DST cluster must have no load_assignment");
            }
        }
    }

    /** A DNS cluster extension resolving to one endpoint (Envoy's LOGICAL_DNS behaviour). */
    private static boolean logicalDns(Cluster c) throws InvalidProtocolBufferException {
        Any config = c.getClusterType().getTypedConfig();
        return c.hasClusterType() && config.is(DnsCluster.class)
                && config.unpack(DnsCluster.class).getAllAddressesInSingleEndpoint();
    }

    static void endpoints(String name, ClusterLoadAssignment cla, List<String> out) {
        String what = "endpoint assignment " + name;
        TreeSet<Integer> priorities = new TreeSet<>();
        for (LocalityLbEndpoints lle : cla.getEndpointsList()) {
            priorities.add(lle.getPriority());
            if (lle.getLbEndpointsCount() > 0 && lle.getLoadBalancingWeight().getValue() == 0) {
                out.add(what + ": locality " + lle.getLocality().getRegion() + "/" + lle.getLocality().getZone()
                        + "/" + lle.getLocality().getSubZone() + " has no load_balancing_weight");
            }
        }
        if (!priorities.isEmpty() && priorities.last() != priorities.size() - 1) {
            out.add(what + ": priorities " + priorities + " are not dense from 0");
        }
    }
}
