package meshlog.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import meshlog.configstore.LogSafe;

/**
 * One page of {@code GET /api/proxies}: the rows that pass the filters, sorted by cluster then proxy id, starting
 * after a cursor (the last row's {@code cluster/proxyId} of the page before). Pure, so the paging is tested without a
 * server; the edge parses and bounds the query parameters.
 *
 * @param total how many rows pass the filters, over all pages
 * @param next  the cursor of the next page, or null on the last
 */
record ProxyPage(List<ProxySync.Row> items, int total, String next) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** A parameter longer than this is no cluster, namespace or proxy id; refused rather than scanned for. */
    static final int MAX_PARAMETER = 1024;

    /**
     * @param cluster   only this cluster's, or null
     * @param namespace only proxies of this namespace, or null
     * @param state     only proxies in this state (SYNCED, STALE, NACK), or null
     * @param search    only proxies whose id contains this, or null
     */
    record Query(String cluster, String namespace, String state, String search, int limit, String after) {
    }

    static Query parse(Map<String, String> params) {
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getValue().length() > MAX_PARAMETER) {
                throw new IllegalArgumentException("parameter " + LogSafe.value(p.getKey()) + " is longer than "
                        + MAX_PARAMETER + " characters");
            }
            if (!List.of("cluster", "namespace", "state", "q", "limit", "after").contains(p.getKey())) {
                throw new IllegalArgumentException("unknown parameter " + LogSafe.value(p.getKey())
                        + " (cluster, namespace, state, q, limit, after)");
            }
        }
        String state = params.get("state");
        if (state != null && !List.of(ProxySync.SYNCED, ProxySync.STALE, ProxySync.NACK).contains(state)) {
            throw new IllegalArgumentException("state must be SYNCED, STALE or NACK, not " + LogSafe.value(state));
        }
        int limit = DEFAULT_LIMIT;
        String l = params.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", not " + LogSafe.value(l));
            }
        }
        return new Query(params.get("cluster"), params.get("namespace"), state, params.get("q"), limit,
                params.get("after"));
    }

    static ProxyPage of(List<ProxySync.Row> rows, Query q) {
        List<ProxySync.Row> passing = new ArrayList<>();
        for (ProxySync.Row r : rows) {
            if ((q.cluster() == null || q.cluster().equals(r.cluster()))
                    && (q.namespace() == null || q.namespace().equals(r.namespace()))
                    && (q.state() == null || q.state().equals(r.state()))
                    && (q.search() == null || r.proxyId().contains(q.search()))) {
                passing.add(r);
            }
        }
        passing.sort(Comparator.comparing(ProxyPage::cursor));
        int from = 0;
        if (q.after() != null) {
            while (from < passing.size() && cursor(passing.get(from)).compareTo(q.after()) <= 0) {
                from++;
            }
        }
        int to = Math.min(passing.size(), from + q.limit());
        List<ProxySync.Row> items = List.copyOf(passing.subList(from, to));
        return new ProxyPage(items, passing.size(), to < passing.size() ? cursor(items.get(items.size() - 1)) : null);
    }

    /** Sorts rows and names a position: cluster, then proxy id ({@code /} cannot be in a cluster name). */
    static String cursor(ProxySync.Row r) {
        return r.cluster() + "/" + r.proxyId();
    }
}
