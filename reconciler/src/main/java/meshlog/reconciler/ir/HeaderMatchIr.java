package meshlog.reconciler.ir;

/** A condition on one request header (gRPC metadata). */
public record HeaderMatchIr(String name, TextMatchIr match) {
}
