package meshlog.gatewayapi.model;

/** Istio {@code Sidecar}: which services a proxy sees and how it listens. Placeholder: the fields are being modelled. */
public record Sidecar(ObjectMeta metadata) implements MeshResource {

    @Override
    public String kind() {
        return "Sidecar";
    }
}
