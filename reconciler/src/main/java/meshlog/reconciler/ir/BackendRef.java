package meshlog.reconciler.ir;

/**
 * Names a backend: a service host and port, optionally narrowed to a subset.
 *
 * @param subset empty for the whole service
 */
public record BackendRef(String host, int port, String subset) implements Comparable<BackendRef> {
    public BackendRef {
        subset = subset == null ? "" : subset;
    }

    /** Istio's outbound cluster name: {@code outbound|<port>|<subset>|<host>}. */
    public String clusterName() {
        return "outbound|" + port + "|" + subset + "|" + host;
    }

    @Override
    public int compareTo(BackendRef o) {
        return clusterName().compareTo(o.clusterName());
    }

    @Override
    public String toString() {
        return clusterName();
    }
}
