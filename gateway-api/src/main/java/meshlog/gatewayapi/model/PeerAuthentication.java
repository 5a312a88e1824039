package meshlog.gatewayapi.model;

/** Istio {@code PeerAuthentication}: whether workloads accept plain text or require mTLS. Placeholder: the fields are being modelled. */
public record PeerAuthentication(ObjectMeta metadata) implements MeshResource {

    @Override
    public String kind() {
        return "PeerAuthentication";
    }
}
