package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.ExportTo;
import meshlog.gatewayapi.model.AuthorizationPolicy;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.Gateway;
import meshlog.gatewayapi.model.MeshCluster;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.model.PeerAuthentication;
import meshlog.gatewayapi.model.RequestAuthentication;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.WorkloadEntry;
import meshlog.reconciler.ir.BackendIr;
import meshlog.reconciler.ir.ClusterIr;
import meshlog.reconciler.ir.GatewayApiCondition;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.MeshIr;
import meshlog.reconciler.ir.RoutePolicyIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;

/**
 * Config objects to the IR of one proxy scope of one cluster: services from ServiceEntries, backends from
 * DestinationRules, routes from VirtualServices, then the proxy kind's layout of listeners and route tables
 * ({@link GrpcLayout}; for Envoy sidecars what their namespace is exported ({@link SidecarVisibility}), then
 * {@link SidecarScopeTranslator}: the applicable Sidecar, the outbound
 * {@link SidecarLayout} and the {@link InboundLayout}, whose chains get the RBAC filters of
 * {@link AuthorizationPolicyTranslator} and the JWT checks of {@link RequestAuthenticationTranslator}; for Envoy gateways {@link GatewayTranslator}). Proxyless gRPC clients get no inbound side, as in Istio. Pure and deterministic: the objects are sorted by kind, namespace and
 * name first, so their order in the input does not matter.
 *
 * <p>Only the endpoints' locality priorities depend on the cluster (its {@code Cluster} object's locality); the
 * routing is the same in every cluster.
 */
public final class MeshTranslator {

    private MeshTranslator() {
    }

    /** The IR of proxyless gRPC clients of no namespace ({@link ProxyScope#GRPC}: no short names). */
    public static MeshIr translate(Collection<? extends MeshResource> resources, String cluster) {
        return translate(resources, cluster, ProxyScope.GRPC);
    }

    /**
     * What every proxy scope of one cluster shares, translated once: services, backends (with the cluster's
     * locality priorities) and the VirtualServices, with the notes of that part.
     */
    public record ClusterModel(List<ServiceIr> services, List<BackendIr> backends, List<BackendIr> grpcBackends,
                               List<VirtualService> virtualServices, List<TranslationNote> notes,
                               List<TranslationNote> grpcNotes, List<ServiceEntry> serviceEntries,
                               List<Sidecar> sidecars, List<AuthorizationPolicy> authorizationPolicies,
                               List<Gateway> gateways, List<PeerAuthentication> peerAuthentications,
                               SidecarVisibility sidecarVisibility,
                               List<RequestAuthentication> requestAuthentications,
                               List<GatewayApiCondition> gatewayApiStatus) {
        public ClusterModel {
            gatewayApiStatus = List.copyOf(gatewayApiStatus);
            requestAuthentications = List.copyOf(requestAuthentications);
            authorizationPolicies = List.copyOf(authorizationPolicies);
            gateways = List.copyOf(gateways);
            peerAuthentications = List.copyOf(peerAuthentications);
            grpcNotes = List.copyOf(grpcNotes);
            services = List.copyOf(services);
            backends = List.copyOf(backends);
            grpcBackends = List.copyOf(grpcBackends);
            virtualServices = List.copyOf(virtualServices);
            notes = List.copyOf(notes);
            serviceEntries = List.copyOf(serviceEntries);
            sidecars = List.copyOf(sidecars);
        }
    }

    /**
     * @param resources every config object served (other kinds than those above are ignored)
     * @param cluster the name of the cluster the IR is for; need not be declared by a {@code Cluster} object
     */
    public static ClusterModel model(Collection<? extends MeshResource> resources, String cluster) {
        return model(resources, List.of(), cluster);
    }

    /**
     * Like {@link #model(Collection, String)}, with the Kubernetes Services discovery found in the mesh's clusters
     * as a second source of services ({@link KubeServiceTranslator}). A host both declare is the Kubernetes
     * Service's, its ServiceEntry ports ignored (noted): the platform registry is the one Istio's users rely on for
     * {@code *.svc.cluster.local}, and one host must have one set of ports.
     *
     * @param discovered the service records of every cluster of the mesh
     */
    public static ClusterModel model(Collection<? extends MeshResource> resources,
                                     Collection<DiscoveredService> discovered, String cluster) {
        return model(resources, discovered, cluster, null);
    }

    /**
     * Like {@link #model(Collection, Collection, String)}, with these defaults for objects without
     * {@code exportTo} (MeshConfig's {@code default*ExportTo}) instead of those the cluster's {@code Cluster}
     * object gives (null: those, else Istio's).
     */
    public static ClusterModel model(Collection<? extends MeshResource> resources,
                                     Collection<DiscoveredService> discovered, String cluster,
                                     ExportTo.Defaults exportDefaults) {
        List<MeshResource> sorted = new ArrayList<>(resources);
        sorted.sort(Comparator.comparing(MeshResource::key));
        List<TranslationNote> notes = new ArrayList<>();
        List<MeshCluster> clusters = only(sorted, MeshCluster.class);
        List<ServiceEntry> entries = only(sorted, ServiceEntry.class);
        String network = networkOf(clusters, cluster);
        ExportTo.Defaults defaults = exportDefaults != null ? exportDefaults : clusters.stream()
                .filter(c -> c.metadata().name().equals(cluster)).findFirst().map(MeshCluster::exportDefaults)
                .orElse(ExportTo.Defaults.ISTIO);
        List<ServiceIr> services = merge(KubeServiceTranslator.translate(new ArrayList<>(discovered), cluster,
                network, notes), ServiceEntryTranslator.translate(entries, only(sorted, WorkloadEntry.class),
                network, notes), notes);
        List<DestinationRule> rules = only(sorted, DestinationRule.class);
        LocalityIr locality = localityOf(clusters, cluster);
        List<PeerAuthentication> peerAuthentications = only(sorted, PeerAuthentication.class);
        java.util.Map<String, String> namespaceOfHost = new java.util.HashMap<>();
        services.forEach(s -> namespaceOfHost.put(s.host(), namespaceOf(s.origin())));
        java.util.function.Function<List<DestinationRule>, List<BackendIr>> backendsOf = chosen ->
                PeerAuthenticationTranslator.inferAutoMtls(DestinationRuleTranslator.translate(services, chosen,
                        locality, new ArrayList<>()), peerAuthentications,
                        b -> namespaceOfHost.getOrDefault(b.ref().host(), ""));
        List<BackendIr> backends = PeerAuthenticationTranslator.inferAutoMtls(
                DestinationRuleTranslator.translate(services, rules, locality, notes), peerAuthentications,
                b -> namespaceOfHost.getOrDefault(b.ref().host(), ""));
        // Gateway API kinds become Istio Gateways and gateway-bound VirtualServices, as Istio converts them
        KubeGatewayTranslator.Converted kube = KubeGatewayTranslator.convert(sorted, services, notes);
        List<VirtualService> virtualServices = concat(only(sorted, VirtualService.class), kube.virtualServices());
        // The same rules again, over what proxyless gRPC can use; their notes were made above.
        List<TranslationNote> grpcNotes = new ArrayList<>();
        // Proxyless gRPC clients are not given TLS (no xDS credentials are set up for them): no auto mTLS either.
        List<BackendIr> grpcBackends = DestinationRuleTranslator.translate(GrpcLayout.services(services, grpcNotes),
                rules, locality, new ArrayList<>()).stream().map(b -> b.withPolicy(b.policy().withTls(null))).toList();
        return new ClusterModel(services, backends, grpcBackends, virtualServices, notes,
                grpcNotes, entries, only(sorted, Sidecar.class), only(sorted, AuthorizationPolicy.class),
                concat(only(sorted, Gateway.class), kube.gateways()), peerAuthentications,
                new SidecarVisibility(services, rules, virtualServices, defaults, backendsOf,
                        // Where every namespace picks the rules the shared backends were made with (the usual
                        // case: each rule beside its service), sidecars reuse them.
                        Map.of(DestinationRuleTranslator.chosen(services, rules), backends)),
                only(sorted, RequestAuthentication.class), kube.conditions());
    }

    /**
     * The status conditions of the Gateway API objects of {@code resources} (Gateways of class istio and the
     * routes attached to them), as a controller would write them to their {@code status}; a backend resolves when
     * discovery or a ServiceEntry knows its host and port. The same for every cluster: the cluster only decides
     * endpoint priorities, not which hosts exist.
     */
    public static List<GatewayApiCondition> gatewayApiStatus(Collection<? extends MeshResource> resources,
                                                             Collection<DiscoveredService> discovered) {
        return model(resources, discovered, "").gatewayApiStatus();
    }

    /** Kubernetes services, then the ServiceEntries' of other hosts; sorted by host, then port. */
    private static List<ServiceIr> merge(List<ServiceIr> kube, List<ServiceIr> entries, List<TranslationNote> notes) {
        java.util.Map<String, String> kubeHosts = new java.util.HashMap<>();
        kube.forEach(s -> kubeHosts.put(s.host(), s.origin()));
        List<ServiceIr> out = new ArrayList<>(kube);
        for (ServiceIr s : entries) {
            String owner = kubeHosts.get(s.host());
            if (owner == null) {
                out.add(s);
            } else {
                notes.add(new TranslationNote(s.origin(), s.name() + ": " + s.host() + " is Kubernetes "
                        + owner + "'s host; this ServiceEntry's port is ignored"));
            }
        }
        out.sort(Comparator.comparing(ServiceIr::host).thenComparingInt(ServiceIr::port));
        return out;
    }

    /** {@link #translate(ClusterModel, ProxyScope)} of {@link #model}. */
    public static MeshIr translate(Collection<? extends MeshResource> resources, String cluster, ProxyScope scope) {
        return translate(model(resources, cluster), scope);
    }

    /** The IR of one proxy scope: its routes, laid out for its proxy kind. */
    public static MeshIr translate(ClusterModel model, ProxyScope scope) {
        List<TranslationNote> notes = new ArrayList<>(model.notes());
        if (scope.kind() == ProxyScope.Kind.ROUTER) {
            return GatewayTranslator.translate(model, scope, notes);
        }
        boolean grpc = scope.kind() == ProxyScope.Kind.GRPC;
        if (grpc) {
            notes.addAll(model.grpcNotes());
        }
        if (grpc) {
            List<ServiceRoutes> routes = VirtualServiceTranslator.translate(model.services(), model.backends(),
                    model.virtualServices(), model.virtualServices(), scope, RoutePolicyIr.GRPC_NONE, notes);
            return new MeshIr(GrpcLayout.listeners(routes, scope.namespace()),
                    GrpcLayout.routeTables(routes, scope.namespace()),
                    List.<ClusterIr>copyOf(model.grpcBackends()), notes);
        }
        // A sidecar sees what is exported to its namespace; a Sidecar's egress hosts narrow that further.
        SidecarVisibility.View view = model.sidecarVisibility().of(scope.namespace());
        List<ServiceRoutes> routes = VirtualServiceTranslator.translate(view.services(), view.backends(),
                view.virtualServices(), model.virtualServices(), scope, SidecarLayout.DEFAULT_POLICY, notes);
        MeshIr sidecar = SidecarScopeTranslator.translate(routes, view.backends(), model.serviceEntries(),
                model.sidecars(), PeerAuthenticationTranslator.translate(model.peerAuthentications(), scope, notes),
                scope, notes);
        RequestAuthenticationTranslator.Applied jwt = RequestAuthenticationTranslator.apply(sidecar.listeners(),
                sidecar.clusters(), model.requestAuthentications(), scope);
        return new MeshIr(AuthorizationPolicyTranslator.apply(jwt.listeners(), model.authorizationPolicies(),
                scope, notes), sidecar.routeTables(), jwt.clusters(), notes);
    }

    /** The namespace of a service's origin, {@code <Kind> <namespace>/<name>}. */
    private static String namespaceOf(String origin) {
        int space = origin.indexOf(' ');
        int slash = origin.indexOf('/', space + 1);
        return space < 0 || slash < 0 ? "" : origin.substring(space + 1, slash);
    }

    /** The declared locality of the named cluster (the first such object by namespace), or none. */
    static LocalityIr localityOf(List<MeshCluster> clusters, String cluster) {
        return clusters.stream().filter(c -> c.metadata().name().equals(cluster)).findFirst()
                .map(c -> LocalityIr.parse(c.locality())).orElse(LocalityIr.NONE);
    }

    /** The declared network of the named cluster (the first such object by namespace), or empty. */
    static String networkOf(List<MeshCluster> clusters, String cluster) {
        return clusters.stream().filter(c -> c.metadata().name().equals(cluster)).findFirst()
                .map(c -> c.network() == null ? "" : c.network()).orElse("");
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static <T extends MeshResource> List<T> only(List<MeshResource> sorted, Class<T> type) {
        return sorted.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
