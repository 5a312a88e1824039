package meshlog.gatewayapi.model;

/** Kubernetes Gateway API {@code GRPCRoute}. Placeholder: the fields are being modelled. */
public record KubeGrpcRoute(ObjectMeta metadata) implements MeshResource {

    @Override
    public String kind() {
        return "GRPCRoute";
    }
}
