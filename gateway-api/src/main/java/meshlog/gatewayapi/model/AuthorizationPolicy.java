package meshlog.gatewayapi.model;

/** Istio {@code AuthorizationPolicy}: who may call what. Placeholder: the fields are being modelled. */
public record AuthorizationPolicy(ObjectMeta metadata) implements MeshResource {

    @Override
    public String kind() {
        return "AuthorizationPolicy";
    }
}
