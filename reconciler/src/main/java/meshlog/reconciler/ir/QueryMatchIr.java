package meshlog.reconciler.ir;

/**
 * A condition on one query parameter.
 *
 * @param match null when the parameter need only be present
 */
public record QueryMatchIr(String name, TextMatchIr match) {
}
