package meshlog.ops;

/** Text from the command line or a user, made safe to echo in one line: control characters escaped, cut to 200. */
final class LogText {

    private static final int MAX = 200;

    private LogText() {
    }

    static String cut(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < MAX; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return s.length() > MAX ? sb + "...(" + s.length() + " chars)" : sb.toString();
    }
}
