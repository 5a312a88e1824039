package meshlog.gatewayapi.model;

/** Istio {@code WorkloadEntry}: a VM or other non-Kubernetes workload. Placeholder: the fields are being modelled. */
public record WorkloadEntry(ObjectMeta metadata) implements MeshResource {

    @Override
    public String kind() {
        return "WorkloadEntry";
    }
}
