package meshlog.gatewayapi.model;

import meshlog.gatewayapi.model.ServiceEntry.WorkloadEndpoint;

/**
 * Istio {@code WorkloadEntry}: a VM or other non-Kubernetes workload, which ServiceEntries select by label. Its
 * spec has the shape of a ServiceEntry's inline endpoint.
 */
public record WorkloadEntry(ObjectMeta metadata, WorkloadEndpoint spec) implements MeshResource {

    @Override
    public String kind() {
        return "WorkloadEntry";
    }
}
