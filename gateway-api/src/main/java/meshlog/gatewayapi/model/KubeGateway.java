package meshlog.gatewayapi.model;

/** Kubernetes Gateway API {@code Gateway} ({@code gateway.networking.k8s.io/v1}). Placeholder: the fields are being modelled. */
public record KubeGateway(ObjectMeta metadata) implements MeshResource {

    /** Qualified, because Istio's own {@code Gateway} may have the same namespace and name. */
    public static final String QUALIFIED_KIND = "Gateway.gateway.networking.k8s.io";

    @Override
    public meshlog.gatewayapi.ResourceKey key() {
        return new meshlog.gatewayapi.ResourceKey(QUALIFIED_KIND, metadata().namespace(), metadata().name());
    }

    @Override
    public String kind() {
        return "Gateway";
    }
}
