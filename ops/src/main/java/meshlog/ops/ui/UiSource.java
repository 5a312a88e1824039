package meshlog.ops.ui;

/**
 * What the web UI's JSON APIs show, implemented by the node over its log and distributors. Each method returns a
 * value Jackson writes as it is; a bad point or id is an {@link IllegalArgumentException} whose message the API
 * answers with 400.
 */
public interface UiSource {

    /** Clusters with their distributors: readiness, served versions, proxies per state. */
    Object clusters();

    /** A page of the commit timeline, newest first ({@link Page}). */
    Object commits(CommitQuery query);

    /** One commit in full (changes with field diffs, diagnostics, ACK latency per cluster), or null when unknown. */
    Object commit(String id);

    /** The config served at {@code at} (a sha, an offset or a time), its objects paged from {@code start}. */
    Object state(String at, int start, int limit);

    /** The field-level differences between two points, paged from {@code start}. */
    Object diff(String from, String to, int start, int limit);

    /**
     * @param before only commits recorded before this log offset (the cursor of the previous page), or null
     * @param outcome applied, rejected, or null for both
     * @param q only commits whose sha, author or message contains this, or null
     */
    record CommitQuery(int limit, Long before, String outcome, String q) {
    }
}
