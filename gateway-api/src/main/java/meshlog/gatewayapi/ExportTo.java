package meshlog.gatewayapi;

import java.util.List;

/**
 * Istio's {@code exportTo}: which namespaces' proxies see a config object. The one rule every reader of
 * {@code exportTo} asks (sidecar scopes, gateway binding, delegation), as Istio's {@code PushContext} indexes it:
 *
 * <ul>
 *   <li>no {@code exportTo}: the mesh-wide default of the object's kind ({@link Defaults}; Istio's is {@code *});</li>
 *   <li>{@code *}: every namespace, whatever else is listed; else {@code ~}: none (Istio allows {@code ~} on
 *       ServiceEntries and Services only, so validation refuses it elsewhere);</li>
 *   <li>{@code .}: the object's own namespace; any other entry: the namespace of that name.</li>
 * </ul>
 *
 * <p>A proxy in namespace N sees an object when it is exported to N. An empty N (a scope of no namespace) sees
 * only what is exported to every namespace.
 */
public final class ExportTo {

    public static final String ALL = "*";
    public static final String OWN = ".";
    public static final String NONE = "~";

    private ExportTo() {
    }

    /**
     * The mesh-wide defaults for objects without {@code exportTo}, MeshConfig's {@code defaultServiceExportTo}
     * (ServiceEntries and Kubernetes Services), {@code defaultVirtualServiceExportTo} and
     * {@code defaultDestinationRuleExportTo}. Istio honours {@code *} and {@code .} there ({@code ~} too for
     * services); {@link ExportTo#defaultProblem} says what else is refused.
     */
    public record Defaults(List<String> service, List<String> virtualService, List<String> destinationRule) {

        /** Istio's: every object visible to every namespace. */
        public static final Defaults ISTIO = new Defaults(List.of(ALL), List.of(ALL), List.of(ALL));

        public Defaults {
            service = List.copyOf(service);
            virtualService = List.copyOf(virtualService);
            destinationRule = List.copyOf(destinationRule);
        }
    }

    /**
     * What is wrong with a mesh default (MeshConfig's {@code default*ExportTo}), or null: Istio honours one entry,
     * {@code *} or {@code .} ({@code ~} too for services); empty means Istio's default.
     */
    public static String defaultProblem(List<String> values, boolean tildeAllowed) {
        boolean ok = values.isEmpty() || values.size() == 1 && (values.get(0).equals(ALL) || values.get(0).equals(OWN)
                || tildeAllowed && values.get(0).equals(NONE));
        return ok ? null : "must be one entry, \"*\" or \".\"" + (tildeAllowed ? " or \"~\"" : "")
                + " (what Istio honours there), got " + values;
    }

    /**
     * Whether an object of {@code ownNamespace} with {@code exportTo} (empty: {@code defaults}) is visible to proxies
     * of {@code namespace}.
     */
    public static boolean visible(List<String> exportTo, List<String> defaults, String ownNamespace,
                                  String namespace) {
        List<String> to = exportTo.isEmpty() ? defaults : exportTo;
        if (to.contains(ALL)) {
            return true;
        }
        if (to.contains(NONE) || namespace.isEmpty()) {
            return false;
        }
        for (String e : to) {
            if (e.equals(namespace) || e.equals(OWN) && ownNamespace.equals(namespace)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the object is visible to its own namespace only ({@code .} or its own name alone; Istio's "private"). */
    public static boolean ownNamespaceOnly(List<String> exportTo, List<String> defaults, String ownNamespace) {
        List<String> to = exportTo.isEmpty() ? defaults : exportTo;
        return to.size() == 1 && (to.get(0).equals(OWN) || to.get(0).equals(ownNamespace));
    }

    /** Whether some namespace sees both objects: both visible everywhere, or one everywhere, or a namespace in common. */
    public static boolean overlap(List<String> a, List<String> aDefaults, String aNamespace, List<String> b,
                                  List<String> bDefaults, String bNamespace) {
        java.util.Set<String> x = targets(a.isEmpty() ? aDefaults : a, aNamespace);
        java.util.Set<String> y = targets(b.isEmpty() ? bDefaults : b, bNamespace);
        if (x.isEmpty() || y.isEmpty()) {
            return false;
        }
        if (x.contains(ALL) || y.contains(ALL)) {
            return true;
        }
        return x.stream().anyMatch(y::contains);
    }

    /** The namespaces named ({@code .} resolved), {@code *} for every one, none for {@code ~}. */
    private static java.util.Set<String> targets(List<String> to, String own) {
        if (to.contains(ALL)) {
            return java.util.Set.of(ALL);
        }
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String e : to) {
            if (!e.equals(NONE)) {
                out.add(e.equals(OWN) ? own : e);
            }
        }
        return out;
    }
}
