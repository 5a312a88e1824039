package meshlog.ops.ui;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The UI APIs' query parameters, bounded before anything reads the log: known names only, short values, limits in
 * range. Pure, so each refusal is tested without a server; a refusal is an {@link IllegalArgumentException} naming
 * the parameter (the edge answers 400).
 */
final class UiParams {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** Longer than any sha, offset, time or search a person types. */
    static final int MAX_VALUE = 200;
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    private final Map<String, String> params;

    private UiParams(Map<String, String> params) {
        this.params = params;
    }

    static UiParams of(Map<String, String> params, List<String> allowed) {
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (!allowed.contains(p.getKey())) {
                throw new IllegalArgumentException("unknown parameter " + cut(p.getKey()) + " (" + String.join(", ",
                        allowed) + ")");
            }
            if (p.getValue().length() > MAX_VALUE) {
                throw new IllegalArgumentException("parameter " + p.getKey() + " is longer than " + MAX_VALUE
                        + " characters");
            }
        }
        return new UiParams(params);
    }

    String required(String name) {
        String v = params.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + "= is required (a commit sha, a log offset or a time)");
        }
        return v;
    }

    String optional(String name) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    int limit() {
        String l = params.get("limit");
        if (l == null) {
            return DEFAULT_LIMIT;
        }
        int n = NUMBER.matcher(l).matches() ? (int) Math.min(Long.parseLong(l), Integer.MAX_VALUE) : -1;
        if (n < 1 || n > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", not " + cut(l));
        }
        return n;
    }

    /** A non-negative number parameter, or {@code otherwise} when absent. */
    long number(String name, long otherwise) {
        String v = params.get(name);
        if (v == null) {
            return otherwise;
        }
        if (!NUMBER.matcher(v).matches()) {
            throw new IllegalArgumentException(name + " must be a non-negative number, not " + cut(v));
        }
        return Long.parseLong(v);
    }

    String outcome() {
        String o = optional("outcome");
        if (o != null && !o.equals("applied") && !o.equals("rejected")) {
            throw new IllegalArgumentException("outcome must be applied or rejected, not " + cut(o));
        }
        return o;
    }

    private static String cut(String s) {
        return meshlog.configstore.LogSafe.value(s, 60);
    }
}
