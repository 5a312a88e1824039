package meshlog.reconciler.ir;

/**
 * A listener Envoy binds itself for one port of its workload: a {@code Sidecar} ingress listener without capture
 * (interception NONE, or {@code captureMode: NONE}), as Istio builds one per such ingress port.
 *
 * @param name {@code <bind>_<port>}, the same as its one chain's
 */
public record InboundListenerIr(String name, String address, int port, InboundChainIr chain) implements ListenerIr {
}
