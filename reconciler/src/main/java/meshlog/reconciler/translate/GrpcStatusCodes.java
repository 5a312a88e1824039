package meshlog.reconciler.translate;

import java.util.List;
import java.util.Locale;

/** gRPC status names (as Istio's {@code grpcStatus} takes them) to their codes. */
final class GrpcStatusCodes {

    private static final List<String> NAMES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
            "DATA_LOSS", "UNAUTHENTICATED");

    private GrpcStatusCodes() {
    }

    /** The code of {@code name}, or of a number given as text; UNKNOWN (2) for anything else. */
    static int of(String name) {
        int i = NAMES.indexOf(name.trim().toUpperCase(Locale.ROOT));
        if (i >= 0) {
            return i;
        }
        try {
            return Integer.parseInt(name.trim());
        } catch (NumberFormatException e) {
            return 2;
        }
    }
}
