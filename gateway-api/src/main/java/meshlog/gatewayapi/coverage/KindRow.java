package meshlog.gatewayapi.coverage;

import meshlog.gatewayapi.model.MeshResource;

/**
 * One kind of the coverage table: whether the reconciler translates its objects at all (when not, each object
 * gets warning ML0012) and, for a security kind, that its policies are not enforced.
 *
 * @param name the kind as the docs name it ({@code Gateway (gateway.networking.k8s.io)} where two groups share a kind)
 * @param translated whether the reconciler reads objects of this kind; its fields are then rows of their own
 */
public record KindRow(Class<? extends MeshResource> type, String name, boolean translated, boolean security,
                      String note) {
}
