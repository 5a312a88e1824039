package meshlog.gatewayapi.validate;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Istio's {@code validateStringRegexp} for Envoy's RE2 regexes, with Java's regex engine: a pattern is accepted
 * when it is at most 1024 characters, uses only RE2 syntax, and compiles. Java accepts constructs RE2 lacks
 * (backreferences, lookaround, atomic groups, possessive quantifiers, some escapes and flags): those are named and
 * rejected first, since Envoy would NACK them. RE2 syntax Java spells differently ({@code (?P<name>...)}, a literal
 * {@code {}, {@code [} inside a class, {@code [:alpha:]}, {@code \p{Greek}}) is rewritten before Java compiles it,
 * so valid RE2 is not refused. RE2's limits on repetition, which Java lacks, are checked by {@link Re2Repeats}.
 */
public final class RegexChecks {

    /** Envoy's RE2 program-size guard, approximated by length as Istio does. */
    public static final int MAX_LENGTH = 1024;
    private static final String RE2_ESCAPE_LETTERS = "aftnrvxCQEAbBzdDsSwWpP";
    private static final Set<String> POSIX_CLASSES = Set.of("alnum", "alpha", "ascii", "blank", "cntrl", "digit",
            "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit");
    private static final Pattern REPEAT = Pattern.compile("\\{(\\d+)(,(\\d*))?}");
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern FLAGS = Pattern.compile("\\(\\?([A-Za-z-]*)[:)]");

    private RegexChecks() {
    }

    /** Null when {@code regex} is a valid RE2 pattern Envoy accepts, otherwise the problem in words. */
    public static String re2(String regex) {
        if (regex.isEmpty()) {
            return "the regex must not be empty";
        }
        if (regex.length() > MAX_LENGTH) {
            return "the regex is " + regex.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        }
        return re2Syntax(regex);
    }

    /**
     * Null when {@code regex} is RE2 syntax that compiles, otherwise the problem in words; no limit on the length,
     * for APIs that set their own (the Gateway API's CRDs).
     */
    public static String re2Syntax(String regex) {
        StringBuilder java = new StringBuilder();
        String problem = translate(regex, java);
        if (problem != null) {
            return problem + "; Envoy uses RE2 syntax (https://github.com/google/re2/wiki/Syntax)";
        }
        try {
            Pattern.compile(java.toString());
            return null;
        } catch (PatternSyntaxException e) {
            return "not a valid regex: " + e.getDescription() + " near index " + e.getIndex();
        }
    }

    /** Copies {@code re} into {@code java} in Java's syntax; returns what RE2 does not support, or null. */
    private static String translate(String re, StringBuilder java) {
        Re2Repeats repeats = new Re2Repeats();
        boolean inClass = false;
        int classOpen = -1;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            Matcher repeat = c == '{' ? REPEAT.matcher(re).region(i, re.length()) : null;
            String problem = null;
            if (c == '\\') {
                if (i + 1 >= re.length()) {
                    return "a trailing \\ escapes nothing";
                }
                problem = escape(re, i, java);
                i = skipEscape(re, i);
                if (!inClass) {
                    repeats.atom();
                }
            } else if (inClass) {
                boolean first = i == classOpen + 1 || i == classOpen + 2 && re.charAt(classOpen + 1) == '^';
                if (c == ']' && !first) {
                    inClass = false;
                    java.append(c);
                } else if (c == '[' && re.startsWith("[:", i)) {
                    int end = re.indexOf(":]", i + 2);
                    String name = end < 0 ? "" : re.substring(i + 2, end).replace("^", "");
                    if (!POSIX_CLASSES.contains(name)) {
                        return "\"" + (end < 0 ? re.substring(i) : re.substring(i, end + 2))
                                + "\" is not a character class RE2 knows";
                    }
                    java.append('a');
                    i = end + 1;
                } else {
                    // a literal in RE2; Java reads these as nested classes, intersections or the class's end
                    java.append(c == '[' || c == '&' || c == ']' ? "\\" + c : String.valueOf(c));
                }
            } else if (c == '[') {
                inClass = true;
                classOpen = i;
                repeats.atom();
                java.append(c);
            } else if (c == '(' && re.startsWith("(?", i)) {
                problem = group(re, i, java);
                repeats.open();
                i = re.startsWith("(?P<", i) || re.startsWith("(?<", i) ? re.indexOf('>', i) : i + 1;
            } else if (repeat != null && repeat.lookingAt()) {
                problem = counted(repeat, repeats);
                java.append(repeat.group());
                i = repeat.end() - 1;
                problem = problem != null ? problem : possessive(re, i, repeat.group());
                i = lazy(re, i, java);
            } else if (c == '*' || c == '+' || c == '?') {
                problem = possessive(re, i, String.valueOf(c));
                problem = problem != null ? problem : repeats.operator(String.valueOf(c));
                java.append(c);
                i = lazy(re, i, java);
            } else {
                plain(c, repeats);
                java.append(c == '{' ? "\\{" : String.valueOf(c)); // a brace that starts no repetition is itself
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** A counted repetition {@code {n}}, {@code {n,}} or {@code {n,m}}: within RE2's limits. */
    private static String counted(Matcher m, Re2Repeats repeats) {
        if (tooLarge(m.group(1)) || (m.group(3) != null && tooLarge(m.group(3)))) {
            return "the repetition " + m.group() + " is larger than RE2's limit of " + Re2Repeats.MAX_REPEAT;
        }
        int min = Integer.parseInt(m.group(1));
        int max = m.group(2) == null ? min : m.group(3).isEmpty() ? -1 : Integer.parseInt(m.group(3));
        return repeats.counted(m.group(), min, max);
    }

    private static String possessive(String re, int i, String op) {
        return i + 1 < re.length() && re.charAt(i + 1) == '+'
                ? "possessive quantifiers (" + op + "+) are not supported" : null;
    }

    /** A {@code ?} after a repetition makes it non-greedy: copied, and not a repetition of its own. */
    private static int lazy(String re, int i, StringBuilder java) {
        if (i + 1 < re.length() && re.charAt(i + 1) == '?') {
            java.append('?');
            return i + 1;
        }
        return i;
    }

    private static void plain(char c, Re2Repeats repeats) {
        switch (c) {
            case '(' -> repeats.open();
            case ')' -> repeats.close();
            case '|' -> repeats.alternate();
            default -> repeats.atom();
        }
    }

    private static boolean tooLarge(String digits) {
        return !digits.isEmpty() && (digits.length() > 4 || Integer.parseInt(digits) > Re2Repeats.MAX_REPEAT);
    }

    private static String escape(String re, int i, StringBuilder java) {
        char e = re.charAt(i + 1);
        if (e >= '1' && e <= '9') {
            return "backreferences (\\" + e + ") are not supported";
        }
        if (Character.isLetter(e) && RE2_ESCAPE_LETTERS.indexOf(e) < 0) {
            return e == 'k' ? "named backreferences (\\k<...>) are not supported"
                    : "the escape \\" + e + " is not supported";
        }
        if ((e == 'p' || e == 'P') && i + 2 < re.length() && re.charAt(i + 2) == '{') {
            java.append('\\').append(e).append("{L}"); // RE2's script names differ from Java's; any name compiles
            return null;
        }
        if (e == 'Q') {
            int end = re.indexOf("\\E", i + 2);
            java.append(re, i, end < 0 ? re.length() : end + 2);
            return null;
        }
        java.append(re, i, skipEscape(re, i) + 1);
        return null;
    }

    /** The index of the last character of the escape starting at {@code i}. */
    private static int skipEscape(String re, int i) {
        char e = re.charAt(i + 1);
        if ((e == 'p' || e == 'P' || e == 'x') && i + 2 < re.length() && re.charAt(i + 2) == '{') {
            int end = re.indexOf('}', i + 2);
            return end < 0 ? re.length() - 1 : end;
        }
        if (e == 'Q') {
            int end = re.indexOf("\\E", i + 2);
            return end < 0 ? re.length() - 1 : end + 1;
        }
        return i + 1;
    }

    /** A group opening with {@code (?} at {@code i}: named groups and RE2's flags i, m, s and U only. */
    private static String group(String re, int i, StringBuilder java) {
        String rest = re.substring(i);
        if (rest.startsWith("(?=") || rest.startsWith("(?!") || rest.startsWith("(?<=")
                || rest.startsWith("(?<!")) {
            return "lookaround groups (" + rest.substring(0, rest.startsWith("(?<") ? 4 : 3) + "...) are not supported";
        }
        if (rest.startsWith("(?>")) {
            return "atomic groups ((?>...) are not supported";
        }
        if (rest.startsWith("(?P<") || rest.startsWith("(?<")) {
            int end = rest.indexOf('>');
            String name = end < 0 ? "" : rest.substring(rest.indexOf('<') + 1, end);
            if (!GROUP_NAME.matcher(name).matches()) {
                return "the group name in " + rest.substring(0, end < 0 ? rest.length() : end + 1)
                        + " is not a name of letters, digits and _";
            }
            java.append('('); // Java's group names are narrower than RE2's; the name does not matter here
            return null;
        }
        var m = FLAGS.matcher(rest);
        boolean flags = m.lookingAt() && m.group(1).replaceAll("[imsU-]", "").isEmpty()
                && (!m.group(1).isEmpty() || m.group().endsWith(":"));
        if (!flags) {
            return "the group " + (m.lookingAt() ? m.group() : rest.substring(0, Math.min(3, rest.length())))
                    + " is not supported (RE2 allows (?:...), (?P<name>...) and the flags i, m, s and U)";
        }
        java.append("(?");
        return null;
    }
}
