package meshlog.gatewayapi.model;

/**
 * A Kubernetes {@code Service} ({@code v1}) kept in the config repository. meshlog reads only its name: it defines
 * the host {@code <name>.<namespace>.svc.cluster.local}, so routes to it are not reported as going to an unknown
 * host. Its spec belongs to Kubernetes and is not validated here.
 */
public record KubeService(ObjectMeta metadata) implements MeshResource {

    @Override
    public String kind() {
        return "Service";
    }
}
