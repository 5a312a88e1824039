package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.MeshResource;

/** Rules on {@code metadata} that hold for every kind (Istio's {@code validateMetadata}). */
final class MetadataRules {

    private MetadataRules() {
    }

    static void check(MeshResource r, Findings f) {
    }
}
