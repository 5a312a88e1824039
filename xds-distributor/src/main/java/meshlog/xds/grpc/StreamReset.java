package meshlog.xds.grpc;

import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.internal.ServerStream;
import java.lang.reflect.Field;

/**
 * Resets a server stream (RST_STREAM), which grpc-java's public API cannot do. A call closed with a status sends
 * its trailers after the responses queued before them; a client that reads nothing never gets them, so the stream,
 * its queued responses and its watches would stay for as long as the client keeps its connection. grpc-java's own
 * deadline handling resets a stream through {@link ServerStream#cancel}; the call grpc hands the first interceptor
 * holds that stream. Should a later grpc-java hide it, the close alone stays (what is queued is bounded anyway) and
 * the connection ends at its maximum age.
 */
final class StreamReset {

    private StreamReset() {
    }

    /** Whether the stream behind {@code call} (the call grpc-java gave the outermost interceptor) was reset. */
    static boolean reset(ServerCall<?, ?> call, Status status) {
        for (Class<?> c = call.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (ServerStream.class.isAssignableFrom(f.getType())) {
                    try {
                        f.setAccessible(true);
                        ((ServerStream) f.get(call)).cancel(status);
                        return true;
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return false;
                    }
                }
            }
        }
        return false;
    }
}
