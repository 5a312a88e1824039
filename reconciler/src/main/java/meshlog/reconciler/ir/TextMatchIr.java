package meshlog.reconciler.ir;

/** A condition on a string: equal to, starting with, or fully matching an RE2 regular expression. */
public record TextMatchIr(Kind kind, String value) {

    public enum Kind { EXACT, PREFIX, REGEX }

    /** Matches every path. */
    public static final TextMatchIr ANY_PATH = new TextMatchIr(Kind.PREFIX, "/");
}
