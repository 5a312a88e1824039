package meshlog.gatewayapi.model;

/** Kubernetes Gateway API {@code ReferenceGrant}. Placeholder: the fields are being modelled. */
public record KubeReferenceGrant(ObjectMeta metadata) implements MeshResource {

    @Override
    public String kind() {
        return "ReferenceGrant";
    }
}
