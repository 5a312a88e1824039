package meshlog.gatewayapi.delegation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.ExportTo;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.Delegate;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;

/**
 * VirtualService delegation, as Istio's {@code mergeVirtualServicesIfNeeded} applies it: the HTTP routes a
 * VirtualService serves once every {@code delegate} of its {@code http[]} is replaced by the delegate's routes,
 * each merged with the delegating route ({@link RouteMerge}). Pure; the reconciler translates the result and
 * validation reports its {@link Problem}s, so both judge a delegation by this one class.
 *
 * <ul>
 *   <li>A delegate is a VirtualService without {@code hosts}, named by {@code delegate.name} in
 *       {@code delegate.namespace} (empty: the root's namespace). It is never served by itself.</li>
 *   <li>Not found, or one with hosts (not a delegate): the delegating route is left out, nothing else.</li>
 *   <li>The delegate must be visible to the root's namespace by its {@code exportTo} (none given: every namespace,
 *       Istio's default {@code defaultVirtualServiceExportTo: ["*"]}; {@code .} is the delegate's own namespace);
 *       otherwise the route is left out.</li>
 *   <li>One level only: a delegate's own routes never delegate (validation rejects it, VS0302).</li>
 *   <li>Short destination hosts resolve in the namespace of the VirtualService that wrote them, before merging, as
 *       Istio resolves them ({@code resolveVirtualServiceShortnames} runs before the merge): a delegate's
 *       {@code reviews} is {@code reviews.<delegate namespace>.svc.cluster.local}, a mirror the root passes down
 *       resolves in the root's namespace.</li>
 * </ul>
 */
public final class Delegation {

    private Delegation() {
    }

    /**
     * One HTTP route as served: the VirtualService's own, or a delegate's merged with the route delegating to it.
     *
     * @param route the route to translate; for a delegated one, merged, with destination hosts fully qualified
     * @param origin the VirtualService that wrote the route (the delegate, for a delegated route)
     * @param path the route's field path in {@code origin}, e.g. {@code spec.http[1]}
     * @param via for a delegated route, the delegating route ({@code VirtualService ns/root spec.http[0]}); else
     *            empty
     */
    public record ServedRoute(HttpRoute route, VirtualService origin, String path, String via) {

        /** The VirtualService to name to a user, with the delegating route the route came through. */
        public String source() {
            return via.isEmpty() ? origin.key().toString() : origin.key() + " (delegated from " + via + ")";
        }
    }

    /** Why part of a delegation is not served. */
    public enum Reason { NOT_FOUND, NOT_A_DELEGATE, NOT_EXPORTED, MATCH_CONFLICT }

    /**
     * Something of the delegation that is left out, reported on the root.
     *
     * @param path the root's delegating field, e.g. {@code spec.http[0].delegate}
     */
    public record Problem(Reason reason, String path, String message) {
    }

    /** The routes {@code vs} serves, and what of its delegation is left out. */
    public record Result(List<ServedRoute> routes, List<Problem> problems) {
        public Result {
            routes = List.copyOf(routes);
            problems = List.copyOf(problems);
        }
    }

    /**
     * @param vs a VirtualService with hosts (a delegate's own routes are served only through a root)
     * @param virtualServices every VirtualService, by key
     */
    public static Result resolve(VirtualService vs, Map<ResourceKey, VirtualService> virtualServices) {
        List<ServedRoute> routes = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < vs.http().size(); i++) {
            HttpRoute route = vs.http().get(i);
            String path = "spec.http[" + i + "]";
            if (route.delegate() == null) {
                routes.add(new ServedRoute(route, vs, path, ""));
                continue;
            }
            VirtualService delegate = find(vs, route.delegate(), path + ".delegate", virtualServices, problems);
            if (delegate != null) {
                delegated(vs, route, path, delegate, routes, problems);
            }
        }
        return new Result(routes, problems);
    }

    /** The delegate VirtualService a route names, or null (noted) when it is not one the root may use. */
    private static VirtualService find(VirtualService root, Delegate d, String path,
                                       Map<ResourceKey, VirtualService> virtualServices, List<Problem> problems) {
        String namespace = d.namespace().isEmpty() ? root.metadata().namespace() : d.namespace();
        ResourceKey key = new ResourceKey("VirtualService", namespace, d.name());
        VirtualService found = virtualServices.get(key);
        String named = "VirtualService " + namespace + "/" + d.name();
        if (found == null) {
            problems.add(new Problem(Reason.NOT_FOUND, path, named + " does not exist; this route is left out"));
            return null;
        }
        if (!found.hosts().isEmpty()) {
            problems.add(new Problem(Reason.NOT_A_DELEGATE, path, named + " has hosts, so it is not a delegate "
                    + "(a delegate has none); this route is left out"));
            return null;
        }
        if (!exportedTo(found, root.metadata().namespace())) {
            problems.add(new Problem(Reason.NOT_EXPORTED, path, named + " is not exported to namespace "
                    + root.metadata().namespace() + " (exportTo " + found.exportTo() + "); this route is left out"));
            return null;
        }
        return found;
    }

    /**
     * Istio: a delegate without exportTo is visible everywhere (the VirtualService default, {@code *}; meshlog has
     * no other default for delegation yet); {@code .} means its own namespace ({@link ExportTo}).
     */
    static boolean exportedTo(VirtualService delegate, String namespace) {
        return ExportTo.visible(delegate.exportTo(), ExportTo.Defaults.ISTIO.virtualService(),
                delegate.metadata().namespace(), namespace);
    }

    private static void delegated(VirtualService root, HttpRoute route, String path, VirtualService delegate,
                                  List<ServedRoute> routes, List<Problem> problems) {
        HttpRoute rootRoute = RouteMerge.qualified(route, root.metadata().namespace());
        String via = root.key() + " " + path;
        for (int j = 0; j < delegate.http().size(); j++) {
            HttpRoute own = RouteMerge.qualified(delegate.http().get(j), delegate.metadata().namespace());
            HttpRoute merged = RouteMerge.merge(rootRoute, own);
            if (merged == null) {
                problems.add(new Problem(Reason.MATCH_CONFLICT, path + ".delegate", delegate.key() + " spec.http["
                        + j + "]: its match is not within this route's match (Istio's rule: each of its match "
                        + "entries must narrow one of this route's); that route is left out"));
            } else {
                routes.add(new ServedRoute(merged, delegate, "spec.http[" + j + "]", via));
            }
        }
    }
}
