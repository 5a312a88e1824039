package meshlog.ops.ui;

import java.util.List;

/**
 * One page of a list the UI shows: the items, how many there are over all pages, and what to ask for next (null on
 * the last page).
 */
public record Page<T>(List<T> items, int total, String next) {

    /** Items {@code start} to {@code start + limit} of {@code all}; next is the index to start the next page at. */
    public static <T> Page<T> of(List<T> all, int start, int limit) {
        int from = Math.min(start, all.size());
        int to = Math.min(all.size(), from + limit);
        return new Page<>(List.copyOf(all.subList(from, to)), all.size(), to < all.size() ? String.valueOf(to) : null);
    }
}
