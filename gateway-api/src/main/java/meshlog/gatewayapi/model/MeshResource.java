package meshlog.gatewayapi.model;

import meshlog.gatewayapi.ResourceKey;

/** A config object meshlog understands. */
public sealed interface MeshResource permits ServiceEntry, WorkloadEntry, DestinationRule, VirtualService, Gateway,
        Sidecar, PeerAuthentication, AuthorizationPolicy, RequestAuthentication, KubeGateway, KubeHttpRoute,
        KubeGrpcRoute, KubeReferenceGrant, KubeService, MeshCluster {

    /** The Kubernetes kind, exactly as users write it. */
    String kind();

    ObjectMeta metadata();

    default ResourceKey key() {
        return new ResourceKey(kind(), metadata().namespace(), metadata().name());
    }
}
