package meshlog.injector;

import java.util.List;

/** The sidecar's well-known ports and identity, as Istio's: what istio-init's rules and the proxy container agree on. */
final class MeshPorts {

    /** Envoy's virtualOutbound listener: every captured outbound connection. */
    static final int OUTBOUND = 15001;
    /** Envoy's virtualInbound listener: every captured inbound connection. */
    static final int INBOUND = 15006;
    /** The agent's merged Prometheus endpoint. */
    static final int PROMETHEUS = 15090;
    /** The agent's health port: {@code /healthz/ready}, the readiness probe. */
    static final int HEALTH = 15021;
    /** The agent's own status port. */
    static final int AGENT = 15020;
    /** Inbound ports never captured, whatever the annotations say: the sidecar's own. */
    static final List<Integer> ALWAYS_EXCLUDED_INBOUND = List.of(PROMETHEUS, HEALTH, AGENT);
    /** The proxy's uid and gid: its own traffic is never captured again. */
    static final long PROXY_UID = 1337;

    private MeshPorts() {
    }
}
