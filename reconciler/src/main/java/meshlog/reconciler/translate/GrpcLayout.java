package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * How proxyless gRPC clients see the routes: per service port an API listener and a route table, both named
 * {@code <host>:<port>} (what {@code xds:///<host>:<port>} asks for), with one virtual host answering for
 * {@code <host>} and {@code <host>:<port>}.
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

    /** @return sorted by name */
    static List<RouteTableIr> routeTables(List<ServiceRoutes> routes) {
        return routes.stream().map(r -> new RouteTableIr(r.service().name(), List.of(new VirtualHostIr(
                        r.service().name(), List.of(r.service().host(), r.service().name()), r.routes()))))
                .sorted(Comparator.comparing(RouteTableIr::name)).toList();
    }

    /** @return sorted by name */
    static List<ListenerIr> listeners(List<ServiceRoutes> routes) {
        return routes.stream()
                .<ListenerIr>map(r -> new ApiListenerIr(r.service().name(), r.service().name(),
                        HttpFilterIr.GRPC))
                .sorted(Comparator.comparing(ListenerIr::name)).toList();
    }
}
