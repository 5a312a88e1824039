package meshlog.gatewayapi.model;

import java.util.List;

/**
 * Kubernetes Gateway API {@code ReferenceGrant}: lets objects of the {@code from} kinds in other namespaces refer to
 * objects of the {@code to} kinds in this grant's namespace (a route to a Service, a Gateway to a Secret).
 */
public record KubeReferenceGrant(ObjectMeta metadata, List<From> from, List<To> to) implements MeshResource {

    /** Who may refer: objects of {@code group}/{@code kind} in {@code namespace} ({@code ""} group is core). */
    public record From(String group, String kind, String namespace) {
    }

    /** What may be referred to: {@code name} null means every object of that group and kind here. */
    public record To(String group, String kind, String name) {
    }

    public KubeReferenceGrant {
        from = List.copyOf(from);
        to = List.copyOf(to);
    }

    /** Whether this grant allows a {@code fromKind} in {@code fromNamespace} to refer to {@code toKind/toName}. */
    public boolean allows(String fromGroup, String fromKind, String fromNamespace, String toGroup, String toKind,
                          String toName) {
        boolean fromOk = from.stream().anyMatch(f -> fromGroup.equals(f.group()) && fromKind.equals(f.kind())
                && fromNamespace.equals(f.namespace()));
        return fromOk && to.stream().anyMatch(t -> toGroup.equals(t.group()) && toKind.equals(t.kind())
                && (t.name() == null || t.name().equals(toName)));
    }

    @Override
    public String kind() {
        return "ReferenceGrant";
    }
}
