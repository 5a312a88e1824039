package meshlog.reconciler;

import java.util.List;

/**
 * A computed snapshot refers to a resource it does not hold, or holds one a client would reject. This is a bug in
 * meshlog, not in the user's config: the caller publishes nothing and keeps serving the last good snapshot.
 */
public final class InconsistentSnapshotException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public InconsistentSnapshotException(String cluster, List<String> problems) {
        super("snapshot for cluster " + cluster + " is inconsistent (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
