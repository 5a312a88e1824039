package meshlog.gatewayapi.model;

/**
 * The port of a Gateway server or a Sidecar listener (Istio's {@code Port} and {@code SidecarPort}). {@code number}
 * is 0 when not given (a Unix-socket listener), {@code protocol} and {@code name} are empty when not given and the
 * protocol keeps the user's case (Istio parses it case-insensitively). {@code targetPort} is deprecated and has no
 * effect on either kind; 0 when not given.
 */
public record ListenerPort(int number, String protocol, String name, int targetPort) {
    public ListenerPort {
        protocol = protocol == null ? "" : protocol;
        name = name == null ? "" : name;
    }
}
