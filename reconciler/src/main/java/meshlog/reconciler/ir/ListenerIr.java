package meshlog.reconciler.ir;

/**
 * Something a proxy listens on, or (for proxyless gRPC) asks LDS for by name. One record per listener kind; the
 * builder dispatches on them, so a new kind cannot be ignored silently.
 */
public sealed interface ListenerIr permits ApiListenerIr, HttpListenerIr, TcpListenerIr, VirtualOutboundIr,
        VirtualInboundIr, InboundListenerIr, GatewayListenerIr {

    /** The xDS resource name, as Istio names it. */
    String name();
}
