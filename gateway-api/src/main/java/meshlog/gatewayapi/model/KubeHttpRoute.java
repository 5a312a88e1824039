package meshlog.gatewayapi.model;

/** Kubernetes Gateway API {@code HTTPRoute}. Placeholder: the fields are being modelled. */
public record KubeHttpRoute(ObjectMeta metadata) implements MeshResource {

    @Override
    public String kind() {
        return "HTTPRoute";
    }
}
