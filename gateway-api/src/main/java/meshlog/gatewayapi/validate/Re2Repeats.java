package meshlog.gatewayapi.validate;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * RE2's two limits on repetition, which Java's regex engine does not have, tracked while {@link RegexChecks} walks a
 * pattern token by token. A repetition operator may not follow another ({@code a**}, {@code a{2}{3}}: RE2 says
 * "invalid nested repetition operator"; {@code (?:a{2}){3}} is the way to write it). And counted repetitions nested
 * in one another may not repeat their innermost part more than 1000 times in all ({@code (a{1000}){2}}: "invalid
 * repeat count"), as Go's {@code repeatIsValid} and RE2's {@code RepetitionWalker} count: the product of the counts
 * along a nesting, where {@code {n,m}} counts m, {@code {n,}} counts n, and {@code {0}} ends the nesting.
 */
final class Re2Repeats {

    /** RE2's limit on a counted repetition, and on nested ones together. */
    static final int MAX_REPEAT = 1000;

    /** Per open group, the largest repeat product among its finished pieces. */
    private final Deque<int[]> groups = new ArrayDeque<>();
    /** The repeat product of the last piece of the current group, which a repetition would apply to. */
    private int last = 0;
    private boolean lastWasRepeat = false;

    Re2Repeats() {
        groups.push(new int[] {1});
    }

    /** A literal, escape, character class or anchor. */
    void atom() {
        commit();
        last = 1;
    }

    /** A group opens. */
    void open() {
        commit();
        groups.push(new int[] {1});
    }

    /** A group closes; an unbalanced one is left for the compiler to report. */
    void close() {
        commit();
        int inner = groups.size() > 1 ? groups.pop()[0] : 1;
        last = inner;
    }

    /** A {@code |} between alternatives. */
    void alternate() {
        commit();
    }

    /** {@code *}, {@code +} or {@code ?}: no count, only the nesting rule. */
    String operator(String op) {
        return nested(op);
    }

    /** {@code {min}}, {@code {min,}} ({@code max} -1) or {@code {min,max}}, spelled {@code text}. */
    String counted(String text, int min, int max) {
        String problem = nested(text);
        if (problem != null) {
            return problem;
        }
        if (max == 0) {
            last = 1;
            return null;
        }
        int count = Math.max(1, max < 0 ? min : max);
        long product = (long) count * Math.max(1, last);
        if (product > MAX_REPEAT) {
            return "the repetition " + text + " of a part that is itself repeated repeats it " + product
                    + " times in all; RE2's limit is " + MAX_REPEAT;
        }
        last = (int) product;
        return null;
    }

    private String nested(String op) {
        if (lastWasRepeat) {
            return "a repetition operator (" + op + ") directly after another is a nested repetition, which RE2 "
                    + "refuses; group the repeated part first, as in (?:a{2}){3}";
        }
        lastWasRepeat = true;
        return null;
    }

    private void commit() {
        int[] group = groups.peek();
        group[0] = Math.max(group[0], last);
        last = 0;
        lastWasRepeat = false;
    }
}
