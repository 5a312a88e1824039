package meshlog.discovery.kube;

/**
 * One {@code spec.ports[]} entry.
 *
 * @param protocol    the IP protocol: TCP (default), UDP or SCTP
 * @param appProtocol {@code appProtocol}, or null when absent
 * @param targetPort  {@code targetPort} as written: a number, a container port name, or empty (= {@code port})
 */
public record KubeServicePort(String name, int port, String protocol, String appProtocol, String targetPort) {
    public KubeServicePort {
        name = name == null ? "" : name;
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
        targetPort = targetPort == null ? "" : targetPort;
    }
}
