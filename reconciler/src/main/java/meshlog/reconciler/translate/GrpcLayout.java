package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshlog.reconciler.ir.ApiListenerIr;
import meshlog.reconciler.ir.EndpointSource;
import meshlog.reconciler.ir.HttpFilterIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.RouteTableIr;
import meshlog.reconciler.ir.ServiceIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.VirtualHostIr;
import meshlog.reconciler.ir.WorkloadIr;

/**
 * How proxyless gRPC clients of one namespace see the routes: per service port a route table {@code <host>:<port>}
 * with one virtual host, and an API listener for every name a client may dial it by ({@code xds:///<name>:<port>}),
 * as Istio's gRPC generator answers them (istiod {@code grpcgen/lds.go}, {@code newListenerNameFilter} and
 * {@code tryFindFQDN}): the host as written and, for {@code <name>.<ns>.svc.cluster.local}, {@code <name>.<ns>.svc}
 * and {@code <name>.<ns>}, and the short name {@code <name>} in the client's own namespace only, as Kubernetes DNS
 * resolves it there. Each listener names the host's route table, whose virtual host answers for the same names,
 * with and without the port (Istio's sidecar virtual hosts, which {@code grpcgen/rds.go} reuses).
 *
 * <p>Where meshlog differs: Istio expands {@code <name>.<ns>} and {@code <name>.<ns>.svc} only for the client's
 * own namespace; meshlog serves them to every namespace, as cluster DNS resolves them from anywhere. A name
 * without a port gets no listener, as in Istio (which names every listener it builds {@code <host>:<port>}, so a
 * port-less request is never answered under its own name); nor does a VIP, nor a name another service's own host
 * already takes.
 *
 * <p>Clusters are EDS clusters only, as Istio's gRPC generator builds them: for a DNS-resolved service the
 * endpoints that are IP literals are served over EDS and names are left out (noted); a NONE-resolution service has
 * no endpoints (a gRPC client has no original destination to go to). TCP and TLS routes ({@code tcp[]},
 * {@code tls[]}) are not served: a proxyless client makes gRPC calls only.
 */
final class GrpcLayout {

    private GrpcLayout() {
    }

    /** The services as proxyless gRPC clients can reach them: endpoints over EDS, IP literals only. */
    static List<ServiceIr> services(List<ServiceIr> services, List<TranslationNote> notes) {
        List<ServiceIr> out = new ArrayList<>();
        for (ServiceIr s : services) {
            if (s.source() == EndpointSource.EDS) {
                out.add(s);
                continue;
            }
            List<WorkloadIr> ips = s.workloads().stream().filter(w -> IpLiterals.isIp(w.address())).toList();
            if (ips.size() < s.workloads().size() || s.source() == EndpointSource.ORIGINAL_DST) {
                notes.add(new TranslationNote(s.origin(), s.name() + ": proxyless gRPC takes endpoints from EDS "
                        + "only; " + (s.source() == EndpointSource.ORIGINAL_DST ? "resolution NONE gives it none"
                        : (s.workloads().size() - ips.size()) + " endpoint name(s) Envoy would resolve are left out")));
            }
            out.add(s.withWorkloads(ips, EndpointSource.EDS));
        }
        return out;
    }

    /** @param namespace the clients' namespace ({@code ""}: none, no short names); @return sorted by name */
    static List<RouteTableIr> routeTables(List<ServiceRoutes> routes, String namespace) {
        return routes.stream().map(r -> new RouteTableIr(r.service().name(), List.of(new VirtualHostIr(
                        r.service().name(), SidecarLayout.domains(r.service(), namespace), r.routes()))))
                .sorted(Comparator.comparing(RouteTableIr::name)).toList();
    }

    /**
     * @param namespace the clients' namespace ({@code ""}: none, no short names)
     * @return sorted by name; a service's own host name comes before any shorter form of another's, and a name two
     *         services would share is served for the first only
     */
    static List<ListenerIr> listeners(List<ServiceRoutes> routes, String namespace) {
        Set<String> taken = new HashSet<>();
        List<ListenerIr> out = new ArrayList<>();
        routes.forEach(r -> taken.add(r.service().name()));
        List<ServiceRoutes> byName = routes.stream().sorted(Comparator.comparing(r -> r.service().name())).toList();
        for (ServiceRoutes r : byName) {
            String table = r.service().name();
            out.add(new ApiListenerIr(table, table, HttpFilterIr.GRPC));
            List<String> forms = SidecarLayout.domains(r.service(), namespace);
            for (String form : forms) {
                boolean vip = r.service().addresses().stream().anyMatch(a -> form.startsWith(a + ":")
                        || form.startsWith("[" + a + "]:"));
                if (form.endsWith(":" + r.service().port()) && !vip && taken.add(form)) {
                    out.add(new ApiListenerIr(form, table, HttpFilterIr.GRPC));
                }
            }
        }
        out.sort(Comparator.comparing(ListenerIr::name));
        return List.copyOf(out);
    }
}
