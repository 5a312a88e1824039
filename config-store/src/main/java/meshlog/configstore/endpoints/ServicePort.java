package meshlog.configstore.endpoints;

import meshlog.gatewayapi.validate.ListenerChecks.Protocol;

/**
 * A service port.
 *
 * @param protocol   as Istio reads a Kubernetes port (discovery's {@code PortProtocols}); UNSUPPORTED is Istio's
 *                   "UnsupportedProtocol": the sidecar sniffs HTTP, else treats it as TCP
 * @param targetPort as the Service wrote it (a number or a container port name); each endpoint carries the number
 */
public record ServicePort(String name, int port, Protocol protocol, String targetPort) {
}
