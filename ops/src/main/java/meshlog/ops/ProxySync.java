package meshlog.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshlog.configstore.status.ProxyStatus;
import meshlog.configstore.status.ProxyStatus.TypeStatus;
import meshlog.xdscheck.TypeUrls;

/**
 * Whether a connected proxy holds what its distributor serves its scope now, per xDS type, in the words of
 * {@code istioctl proxy-status}: SYNCED (it ACKed the version served), NACK (it rejected a version and has accepted
 * none since), STALE (it was sent the version and has not answered, or ACKed an older one), NOT SENT (nothing of
 * that type is served to its scope). Pure: the proxy's answers and the served versions in, a row out.
 */
final class ProxySync {

    static final String SYNCED = "SYNCED";
    static final String STALE = "STALE";
    static final String NACK = "NACK";
    static final String NOT_SENT = "NOT SENT";

    /** The columns of {@code proxy-status}, in istioctl's order, by type URL. */
    static final Map<String, String> COLUMNS = columns();

    /** A NACK's error as the row carries it: Envoy's details can run to kilobytes. */
    static final int MAX_ERROR = 512;

    private ProxySync() {
    }

    private static Map<String, String> columns() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TypeUrls.CLUSTER, "CDS");
        m.put(TypeUrls.LISTENER, "LDS");
        m.put(TypeUrls.ENDPOINT, "EDS");
        m.put(TypeUrls.ROUTE, "RDS");
        return Map.copyOf(m);
    }

    /**
     * One proxy's line of {@code proxy-status} and of {@code /api/proxies}.
     *
     * @param namespace the namespace of its scope ({@code grpc~<ns>}, {@code sidecar~<ns>~...})
     * @param state     the worst of its types: NACK, then STALE, then SYNCED (NOT SENT counts as synced: there is
     *                  nothing to hold)
     * @param types     CDS, LDS, EDS, RDS → their state, in that order
     * @param errors    by column, the error of each NACKed type, cut to {@link #MAX_ERROR} characters
     * @param version   the version it ACKed last of the cluster type, else of any type, else empty
     * @param nackedCommit the commit the config it rejects was computed from: the served snapshot's, when a NACKed
     *                  version is the one served now; else null (not NACKing, or it rejected an older version)
     * @param ackedCommit the commit the config it holds was computed from: the served snapshot's, when it has ACKed
     *                  every type served now (SYNCED); else null (it holds an older config, or none yet)
     */
    record Row(String proxyId, String cluster, String distributor, String scope, String namespace, String state,
               Map<String, String> types, Map<String, String> errors, String version, String nackedCommit,
               String ackedCommit) {
    }

    static Row row(String cluster, String distributor, String scope, ProxyStatus proxy, Map<String, String> served) {
        return row(cluster, distributor, scope, proxy, served, null);
    }

    /** @param servedCommit the commit of the snapshot served to the proxy's scope now, or null */
    static Row row(String cluster, String distributor, String scope, ProxyStatus proxy, Map<String, String> served,
                   String servedCommit) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String url : List.of(TypeUrls.CLUSTER, TypeUrls.LISTENER, TypeUrls.ENDPOINT, TypeUrls.ROUTE)) {
            String column = COLUMNS.get(url);
            TypeStatus answer = proxy.types().get(url);
            String state = state(served.get(url), answer);
            types.put(column, state);
            if (state.equals(NACK) && answer.error() != null) {
                String e = answer.error();
                errors.put(column, e.length() > MAX_ERROR ? e.substring(0, MAX_ERROR) + "..." : e);
            }
        }
        String overall = types.containsValue(NACK) ? NACK : types.containsValue(STALE) ? STALE : SYNCED;
        boolean rejectsServed = proxy.types().entrySet().stream().anyMatch(e -> e.getValue().nackedVersion() != null
                && e.getValue().nackedVersion().equals(served.get(e.getKey())));
        return new Row(proxy.proxyId(), cluster, distributor, scope, namespaceOf(scope), overall, types, errors,
                version(proxy), rejectsServed ? servedCommit : null, overall.equals(SYNCED) ? servedCommit : null);
    }

    static String state(String servedVersion, TypeStatus answer) {
        if (answer != null && answer.nackedVersion() != null) {
            return NACK;
        }
        if (servedVersion == null || servedVersion.isEmpty()) {
            return NOT_SENT;
        }
        return answer != null && servedVersion.equals(answer.ackedVersion()) ? SYNCED : STALE;
    }

    /** {@code grpc~shop} and {@code sidecar~shop~...}: shop; a scope without a namespace part: empty. */
    static String namespaceOf(String scope) {
        String[] parts = scope.split("~", 3);
        return parts.length > 1 ? parts[1] : "";
    }

    private static String version(ProxyStatus proxy) {
        TypeStatus cds = proxy.types().get(TypeUrls.CLUSTER);
        if (cds != null && cds.ackedVersion() != null) {
            return cds.ackedVersion();
        }
        return proxy.types().values().stream().map(TypeStatus::ackedVersion).filter(v -> v != null).findFirst()
                .orElse("");
    }
}
