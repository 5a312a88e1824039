package meshlog.reconciler.ir;

/**
 * An Envoy socket listener proxying the TCP connections of one service port to its cluster (tcp_proxy), as Istio
 * serves TCP services to a sidecar.
 *
 * @param name {@code <address>_<port>}
 * @param bindToPort false when iptables redirects traffic to {@code virtualOutbound}
 * @param cluster the service's {@code outbound|<port>||<host>}
 */
public record TcpListenerIr(String name, String address, int port, boolean bindToPort, String cluster,
                            String statPrefix) implements ListenerIr {
}
