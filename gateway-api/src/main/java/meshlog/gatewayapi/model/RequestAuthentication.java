package meshlog.gatewayapi.model;

/** Istio {@code RequestAuthentication}: which JWTs a workload accepts. Placeholder: the fields are being modelled. */
public record RequestAuthentication(ObjectMeta metadata) implements MeshResource {

    @Override
    public String kind() {
        return "RequestAuthentication";
    }
}
