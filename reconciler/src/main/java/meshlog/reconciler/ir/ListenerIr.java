package meshlog.reconciler.ir;

/**
 * What a client dialing {@code xds:///<name>} finds: the route table that decides where its calls go.
 *
 * @param name {@code <host>:<port>}
 * @param routeTable the name of a {@link RouteTableIr}
 */
public record ListenerIr(String name, String routeTable) {
}
