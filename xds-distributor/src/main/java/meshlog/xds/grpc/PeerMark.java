package meshlog.xds.grpc;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.function.UnaryOperator;
import meshlog.xds.proxy.ProxyNode;

/**
 * Writes what the transport proved into a stream's node ({@link ProxyNode#PEER}, {@link ProxyNode#SECRETS}),
 * replacing whatever the proxy sent under those keys, so the snapshot group java-control-plane derives from the node
 * alone is the authenticated one. Applied to every request's node before anything reads it.
 */
final class PeerMark implements UnaryOperator<Node> {

    private final String peer;
    private final boolean secrets;

    private PeerMark(String peer, boolean secrets) {
        this.peer = peer;
        this.secrets = secrets;
    }

    /**
     * A stream on the mTLS port, whose client certificate names {@code spiffeId}: served routing, never a key. Its
     * secrets come from its own meshlog agent, which made the key and holds the certificate it connected with.
     */
    static PeerMark verified(String spiffeId) {
        return new PeerMark(spiffeId, false);
    }

    /** A stream on the plaintext port; {@code secrets} only with {@code --insecure-plaintext}. */
    static PeerMark plaintext(boolean secrets) {
        return new PeerMark(null, secrets);
    }

    @Override
    public Node apply(Node node) {
        Struct.Builder metadata = node.getMetadata().toBuilder().removeFields(ProxyNode.PEER)
                .removeFields(ProxyNode.SECRETS);
        if (peer != null) {
            metadata.putFields(ProxyNode.PEER, Value.newBuilder().setStringValue(peer).build());
        }
        if (secrets) {
            metadata.putFields(ProxyNode.SECRETS, Value.newBuilder().setStringValue(ProxyNode.SECRETS_SERVED).build());
        }
        return node.toBuilder().setMetadata(metadata).build();
    }

    /** Whether this stream may be served secrets. */
    boolean secrets() {
        return secrets;
    }

    /** The verified SPIFFE ID, or null on the plaintext port. */
    String peer() {
        return peer;
    }
}
