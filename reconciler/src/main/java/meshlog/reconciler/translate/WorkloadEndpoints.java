package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.ServiceEntry.Port;
import meshlog.gatewayapi.model.ServiceEntry.WorkloadEndpoint;
import meshlog.gatewayapi.model.WorkloadEntry;
import meshlog.reconciler.ir.LocalityIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.WorkloadIr;

/**
 * The endpoints of one ServiceEntry, as Istio finds them: its inline {@code endpoints}, or with
 * {@code workloadSelector} the WorkloadEntries of its namespace whose labels contain all the selector's labels (an
 * empty selector selects every WorkloadEntry of the namespace).
 *
 * <ul>
 *   <li>An endpoint's port for a service port: {@code ports[port name]}, else the port's targetPort if set, else the
 *       port number. Weight 0 (or none) counts as 1. Labels select subsets; locality sets failover.</li>
 *   <li>{@code network}: an endpoint on another network than the cluster's is left out (noted), as Istio leaves
 *       out endpoints of a network it knows no gateway for; meshlog serves no east-west gateways yet. An endpoint
 *       or cluster without a network is on every network.</li>
 *   <li>An endpoint without an address (reached through its network's gateway) or on a Unix domain socket is
 *       skipped (noted).</li>
 *   <li>An address that is not an IP literal is skipped (noted) unless Envoy resolves it (DNS resolutions); with
 *       DNS resolution and no endpoint at all, the host itself is the endpoint.</li>
 *   <li>An address and port listed twice for one service port is kept once (the first).</li>
 * </ul>
 */
final class WorkloadEndpoints {

    private final ServiceEntry se;
    private final List<WorkloadEndpoint> endpoints = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private final String network;
    private final List<TranslationNote> notes;

    WorkloadEndpoints(ServiceEntry se, List<WorkloadEntry> workloadEntries, String network,
                      List<TranslationNote> notes) {
        this.se = se;
        this.network = network;
        this.notes = notes;
        if (se.workloadSelector() == null) {
            for (int i = 0; i < se.endpoints().size(); i++) {
                endpoints.add(se.endpoints().get(i));
                paths.add("spec.endpoints[" + i + "]");
            }
            return;
        }
        for (WorkloadEntry we : workloadEntries) {
            if (we.metadata().namespace().equals(se.metadata().namespace())
                    && we.spec().labels().entrySet().containsAll(se.workloadSelector().labels().entrySet())) {
                endpoints.add(we.spec());
                paths.add("WorkloadEntry " + we.key().namespace() + "/" + we.key().name());
            }
        }
    }

    /** The workloads serving {@code port} of {@code host}; with {@code dns}, names are kept for Envoy to resolve. */
    List<WorkloadIr> forPort(String host, Port port, boolean dns) {
        List<WorkloadIr> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String origin = se.key().toString();
        for (int i = 0; i < endpoints.size(); i++) {
            WorkloadEndpoint ep = endpoints.get(i);
            String path = paths.get(i);
            if (!network.isEmpty() && !ep.network().isEmpty() && !ep.network().equals(network)) {
                notes.add(new TranslationNote(origin, path + ": network " + ep.network() + " is not this cluster's ("
                        + network + ") and no gateway to it is served; left out for " + host + ":" + port.number()));
                continue;
            }
            if (ep.address().isEmpty() || ep.address().startsWith("unix://")) {
                notes.add(new TranslationNote(origin, path + ": " + (ep.address().isEmpty()
                        ? "no address (reached through its network's gateway, which is not served)"
                        : "a Unix domain socket") + "; skipped for " + host + ":" + port.number()));
                continue;
            }
            if (!dns && !IpLiterals.isIp(ep.address())) {
                notes.add(new TranslationNote(origin, path + ".address \"" + ep.address() + "\" is not an IP "
                        + "address; skipped for " + host + ":" + port.number()));
                continue;
            }
            int epPort = endpointPort(ep, port);
            if (!seen.add(ep.address() + " " + epPort)) {
                // gRPC refuses an assignment naming one address twice; Istio also keeps one.
                notes.add(new TranslationNote(origin, path + ": " + ep.address() + ":" + epPort + " is listed twice "
                        + "for " + host + ":" + port.number() + "; the first is kept"));
                continue;
            }
            out.add(new WorkloadIr(ep.address(), epPort, new TreeMap<>(ep.labels()), LocalityIr.parse(ep.locality()),
                    Math.max(1, ep.weight()), SpiffeIds.of(se.metadata().namespace(), ep.serviceAccount())));
        }
        if (dns && endpoints.isEmpty() && se.workloadSelector() == null) {
            out.add(new WorkloadIr(host, port.targetPort() != 0 ? port.targetPort() : port.number(), java.util.Map.of(),
                    LocalityIr.NONE, 1));
        }
        return out;
    }

    private static int endpointPort(WorkloadEndpoint ep, Port port) {
        Integer named = port.name().isEmpty() ? null : ep.ports().get(port.name());
        if (named != null) {
            return named;
        }
        return port.targetPort() != 0 ? port.targetPort() : port.number();
    }
}
