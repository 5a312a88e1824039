package meshlog.reconciler.ir;

/**
 * A condition on one request header (gRPC metadata), or a pseudo-header ({@code :method}, {@code :authority},
 * {@code :scheme}).
 *
 * @param match null when the header need only be present
 * @param invert true for Istio's {@code withoutHeaders}: the condition holds when the header does not match
 *     (an absent header included)
 */
public record HeaderMatchIr(String name, TextMatchIr match, boolean invert) {

    public HeaderMatchIr(String name, TextMatchIr match) {
        this(name, match, false);
    }
}
