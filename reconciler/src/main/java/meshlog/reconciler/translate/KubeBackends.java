package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.model.KubeReferenceGrant;
import meshlog.gatewayapi.model.KubeRouteParts;
import meshlog.gatewayapi.model.KubeRouteParts.BackendObjectRef;

/**
 * Whether a route's backend reference resolves, as the Gateway API's {@code ResolvedRefs} says: a core
 * {@code Service} (else InvalidKind), in the route's namespace or in one whose {@code ReferenceGrant} lets this kind
 * of route in (else RefNotPermitted), that exists with that port (else BackendNotFound). The Service's host is
 * {@code <name>.<namespace>.svc.cluster.local}, known from discovery or a ServiceEntry.
 */
final class KubeBackends {

    /** Who refers: the route's kind and namespace, the grants of the config, and the hosts that exist. */
    record Resolver(String routeKind, String routeNamespace, List<KubeReferenceGrant> grants,
                    BiPredicate<String, Integer> exists) {

        /** The reason and message of a reference that does not resolve, or null when it does. */
        Problem problem(BackendObjectRef ref) {
            if (!ref.isService()) {
                return new Problem("InvalidKind", "backend " + (ref.group().isEmpty() ? "" : ref.group() + "/")
                        + ref.kind() + " " + ref.name() + ": only Services are supported");
            }
            String ns = ref.namespaceOr(routeNamespace);
            if (!ns.equals(routeNamespace) && grants.stream().noneMatch(g -> g.metadata().namespace().equals(ns)
                    && g.allows(KubeRouteParts.GATEWAY_GROUP, routeKind, routeNamespace, "", "Service", ref.name()))) {
                return new Problem("RefNotPermitted", "backend Service " + ns + "/" + ref.name() + ": no"
                        + " ReferenceGrant in namespace " + ns + " lets " + routeKind + "s of " + routeNamespace
                        + " refer to it");
            }
            if (ref.port() == null || !exists.test(host(ref), ref.port())) {
                return new Problem("BackendNotFound", "backend Service " + ns + "/" + ref.name()
                        + (ref.port() == null ? " without a port" : " port " + ref.port()) + " is not known"
                        + " (no such Service or ServiceEntry host " + host(ref) + ")");
            }
            return null;
        }

        String host(BackendObjectRef ref) {
            return Hosts.fqdn(ref.name(), ref.namespaceOr(routeNamespace));
        }
    }

    /** Why a reference does not resolve: the Gateway API's reason, and what to fix. */
    record Problem(String reason, String message) {
    }

    /** What a route's references left unresolved: the first reason, and every message. */
    static final class Problems {
        private String reason;
        private final List<String> messages = new ArrayList<>();

        void add(Problem problem) {
            if (reason == null) {
                reason = problem.reason();
            }
            if (!messages.contains(problem.message())) {
                messages.add(problem.message());
            }
        }

        String reason() {
            return reason;
        }

        String message() {
            return String.join("; ", messages);
        }
    }

    private KubeBackends() {
    }
}
