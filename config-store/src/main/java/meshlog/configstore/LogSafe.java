package meshlog.configstore;

/**
 * Values from outside (commit authors and messages, file names, repository paths, node ids) made safe for one log
 * line or terminal line: control characters, line and paragraph separators and bidirectional overrides are
 * written as escapes ({@code \n}, {@code \u001b}), backslash and double quote are escaped so a quoted value cannot
 * be closed early, and long values are cut with a marker saying how much was left out. A value never starts a new
 * line, never moves the cursor and never forges a {@code key="value"} pair.
 */
public final class LogSafe {

    /** Long enough for a path or a commit subject, short enough that one line stays one screen line or two. */
    public static final int DEFAULT_MAX = 200;

    private LogSafe() {
    }

    /** {@code raw} escaped and cut to {@link #DEFAULT_MAX} characters; null is printed as {@code null}. */
    public static String value(Object raw) {
        return value(raw, DEFAULT_MAX);
    }

    /**
     * {@code raw} escaped, its first {@code max} characters kept (never half a surrogate pair), followed by
     * {@code …(+N chars)} when {@code N} characters were cut.
     */
    public static String value(Object raw, int max) {
        if (raw == null) {
            return "null";
        }
        String s = raw.toString();
        int keep = Math.min(s.length(), Math.max(0, max));
        if (keep < s.length() && keep > 0 && Character.isHighSurrogate(s.charAt(keep - 1))) {
            keep--;
        }
        StringBuilder sb = new StringBuilder(keep + 16);
        for (int i = 0; i < keep; i++) {
            escape(s.charAt(i), sb);
        }
        if (keep < s.length()) {
            sb.append("…(+").append(s.length() - keep).append(" chars)");
        }
        return sb.toString();
    }

    private static void escape(char c, StringBuilder sb) {
        switch (c) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case '\\' -> sb.append("\\\\");
            case '"' -> sb.append("\\\"");
            default -> {
                if (unsafe(c)) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
    }

    /** C0 and C1 controls, DEL, line/paragraph separators, bidi embeddings, overrides and isolates, BOM. */
    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                || c == 0x061c || c == 0xfeff;
    }
}
