package meshlog.gatewayapi.validate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshlog.gatewayapi.Hosts;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.model.KubeGateway;
import meshlog.gatewayapi.model.KubeGrpcRoute;
import meshlog.gatewayapi.model.KubeHttpRoute;
import meshlog.gatewayapi.model.KubeReferenceGrant;
import meshlog.gatewayapi.model.KubeRouteParts.BackendRef;
import meshlog.gatewayapi.model.KubeRouteParts.ParentRef;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.parse.ParsedResource;

/**
 * References of Gateway API routes, checked over the repository: a parent Gateway that does not exist (the route
 * would attach to nothing) and a backend in another namespace that no ReferenceGrant there allows (the Gateway
 * API refuses such a reference, so the requests would fail).
 */
final class KubeCrossRules {

    private static final String ROUTE_GROUP = "gateway.networking.k8s.io";

    private final Set<ResourceKey> gateways = new HashSet<>();
    private final List<KubeReferenceGrant> grants = new ArrayList<>();
    private final HostIndex hosts;

    KubeCrossRules(List<ParsedResource> resources, HostIndex hosts) {
        this.hosts = hosts;
        for (ParsedResource p : resources) {
            if (p.resource() instanceof KubeGateway g) {
                gateways.add(g.key());
            } else if (p.resource() instanceof KubeReferenceGrant g) {
                grants.add(g);
            }
        }
    }

    void check(MeshResource r, Findings f) {
        if (r instanceof KubeHttpRoute route) {
            checkParents(route.parentRefs(), route.metadata().namespace(), f);
            for (int i = 0; i < route.rules().size(); i++) {
                checkBackends("HTTPRoute", route.rules().get(i).backendRefs(), route.metadata().namespace(), i, f);
            }
        } else if (r instanceof KubeGrpcRoute route) {
            checkParents(route.parentRefs(), route.metadata().namespace(), f);
            for (int i = 0; i < route.rules().size(); i++) {
                checkBackends("GRPCRoute", route.rules().get(i).backendRefs(), route.metadata().namespace(), i, f);
            }
        }
    }

    private void checkParents(List<ParentRef> parents, String namespace, Findings f) {
        for (int i = 0; i < parents.size(); i++) {
            ParentRef ref = parents.get(i);
            ResourceKey key = new ResourceKey(KubeGateway.QUALIFIED_KIND, ref.namespaceOr(namespace), ref.name());
            // A malformed reference is reported by the route's own rules; only well-formed ones are looked up.
            if (ref.isGateway() && Checks.isDns1123Subdomain(ref.name())
                    && Checks.isDns1123Label(key.namespace()) && !gateways.contains(key)) {
                f.error("XR0005", "spec.parentRefs[" + i + "]", "Gateway " + key.namespace() + "/" + key.name()
                        + " (gateway.networking.k8s.io) is not defined in the repository; the route attaches to"
                        + " nothing");
            }
        }
    }

    private void checkBackends(String routeKind, List<BackendRef> backends, String namespace, int rule,
                               Findings f) {
        for (int j = 0; j < backends.size(); j++) {
            var ref = backends.get(j).ref();
            String target = ref.namespaceOr(namespace);
            String path = "spec.rules[" + rule + "].backendRefs[" + j + "]";
            if (ref.isService() && Checks.isDns1123Label(ref.name()) && Checks.isDns1123Label(target)
                    && !hosts.defines(Hosts.fqdn(ref.name(), target))) {
                f.warning("XR0007", path, "no Service or ServiceEntry in the repository defines "
                        + Hosts.fqdn(ref.name(), target) + "; fine if the Service exists in every cluster,"
                        + " otherwise requests fail with 500");
            }
            if (target.equals(namespace) || ref.name().isEmpty() || !Checks.isDns1123Label(target)) {
                continue;
            }
            boolean granted = grants.stream().anyMatch(g -> g.metadata().namespace().equals(target)
                    && g.allows(ROUTE_GROUP, routeKind, namespace, ref.group(), ref.kind(), ref.name()));
            if (!granted) {
                f.error("XR0006", path, ref.kind() + " " + target
                        + "/" + ref.name() + " is in another namespace and no ReferenceGrant in " + target
                        + " allows " + routeKind + "s from " + namespace + " to use it");
            }
        }
    }
}
