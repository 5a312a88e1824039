package meshlog.gatewayapi.model;

import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.TrafficPolicy.ConnectionPool;

/**
 * Istio {@code Sidecar}: which services the selected proxies see (egress), how they listen for their workload
 * (ingress), and what happens to traffic for unknown destinations. Nested objects are null when not given. The
 * connection pools are Istio's one {@code ConnectionPoolSettings}, the type a DestinationRule uses too.
 */
public record Sidecar(ObjectMeta metadata, WorkloadSelector workloadSelector, List<IngressListener> ingress,
                      List<EgressListener> egress, ConnectionPool inboundConnectionPool,
                      OutboundTrafficPolicy outboundTrafficPolicy) implements MeshResource {

    public enum CaptureMode { DEFAULT, IPTABLES, NONE }

    /** The pods or VMs this Sidecar applies to; without one it applies to the whole namespace. */
    public record WorkloadSelector(Map<String, String> labels) {
        public WorkloadSelector {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * A listener for traffic to the workload. {@code port} is required (null when missing); {@code bind} and
     * {@code defaultEndpoint} are empty when not given.
     */
    public record IngressListener(ListenerPort port, String bind, CaptureMode captureMode, String defaultEndpoint,
                                  ServerTlsSettings tls, ConnectionPool connectionPool) {
        public IngressListener {
            bind = bind == null ? "" : bind;
            captureMode = captureMode == null ? CaptureMode.DEFAULT : captureMode;
            defaultEndpoint = defaultEndpoint == null ? "" : defaultEndpoint;
        }
    }

    /**
     * A listener for traffic from the workload. A null {@code port} is the catch-all listener; {@code hosts} are
     * {@code namespace/dnsName} ({@code *}/{@code *}, {@code ./*}, {@code ns/*.example.com}, {@code ~/*}).
     */
    public record EgressListener(ListenerPort port, String bind, CaptureMode captureMode, List<String> hosts) {
        public EgressListener {
            bind = bind == null ? "" : bind;
            captureMode = captureMode == null ? CaptureMode.DEFAULT : captureMode;
            hosts = List.copyOf(hosts);
        }
    }

    /** {@code mode} defaults to {@code REGISTRY_ONLY}, the proto's zero value; {@code egressProxy} may be null. */
    public record OutboundTrafficPolicy(Mode mode, EgressProxy egressProxy) {
        public enum Mode { REGISTRY_ONLY, ALLOW_ANY }

        public OutboundTrafficPolicy {
            mode = mode == null ? Mode.REGISTRY_ONLY : mode;
        }
    }

    /** Where ALLOW_ANY traffic goes instead of straight out; {@code port} is null when not given. */
    public record EgressProxy(String host, String subset, PortSelector port) {
        public EgressProxy {
            host = host == null ? "" : host;
            subset = subset == null ? "" : subset;
        }
    }

    public record PortSelector(int number) {
    }

    public Sidecar {
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    @Override
    public String kind() {
        return "Sidecar";
    }
}
