package meshlog.xds.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.io.InputStream;
import meshlog.configstore.LogSafe;

/**
 * Requests that cannot be parsed reach {@link EdgeGuard} as a request marked malformed, instead of an exception.
 * grpc-java parses a request before any interceptor sees it; a parse failure propagates out of its executor, which
 * logs it at SEVERE with the whole stack trace, once per malformed message. The marked request is refused with
 * INVALID_ARGUMENT and one bounded line.
 */
final class SafeParsing {

    /** The type URL of a marked request (nothing a proxy could subscribe to: a real type URL has no space). */
    static final String MARK = "meshlog.malformed ";

    private SafeParsing() {
    }

    /** {@code service} with every method's request marshaller made safe. */
    static ServerServiceDefinition of(ServerServiceDefinition service) {
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            out.addMethod(safe(method));
        }
        return out.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> safe(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        @SuppressWarnings("unchecked")
        MethodDescriptor.PrototypeMarshaller<Q> original =
                (MethodDescriptor.PrototypeMarshaller<Q>) descriptor.getRequestMarshaller();
        MethodDescriptor.Marshaller<Q> marshaller = new MethodDescriptor.PrototypeMarshaller<>() {
            @Override
            public Q getMessagePrototype() {
                return original.getMessagePrototype();
            }

            @Override
            public Class<Q> getMessageClass() {
                return original.getMessageClass();
            }

            @Override
            public InputStream stream(Q value) {
                return original.stream(value);
            }

            @Override
            public Q parse(InputStream stream) {
                try {
                    return original.parse(stream);
                } catch (RuntimeException e) {
                    return marked(original.getMessagePrototype(), e);
                }
            }
        };
        return ServerMethodDefinition.create(descriptor.toBuilder().setRequestMarshaller(marshaller).build(),
                method.getServerCallHandler());
    }

    @SuppressWarnings("unchecked")
    private static <Q> Q marked(Q prototype, RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        Message.Builder builder = ((Message) prototype).newBuilderForType();
        FieldDescriptor typeUrl = builder.getDescriptorForType().findFieldByName("type_url");
        return (Q) builder.setField(typeUrl, MARK + LogSafe.value(cause.getMessage(), 200)).build();
    }

    /** Why {@code request} was not parsed, or null if it was. */
    static String malformed(Object request) {
        String typeUrl = request instanceof io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest r
                ? r.getTypeUrl()
                : ((io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest) request).getTypeUrl();
        return typeUrl.startsWith(MARK) ? typeUrl.substring(MARK.length()) : null;
    }
}
