package meshlog.reconciler.ir;

/** One address traffic goes to; {@code weight} is at least 1. */
public record EndpointIr(String address, int port, int weight) {
}
