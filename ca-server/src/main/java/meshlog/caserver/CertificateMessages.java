package meshlog.caserver;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Struct;
import com.google.protobuf.WireFormat;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Istio's certificate API ({@code istio/api security/v1alpha1/ca.proto}, package {@code istio.v1.auth}) without
 * generated code: there is no protoc in this build, and two messages of three fields do not need one. The field
 * numbers are Istio's: {@code IstioCertificateRequest} {@code csr = 1} (string), {@code validity_duration = 3}
 * (int64 seconds), {@code metadata = 4} (google.protobuf.Struct); {@code IstioCertificateResponse}
 * {@code cert_chain = 1} (repeated string). Unknown fields are skipped, as generated code does.
 */
final class CertificateMessages {

    static final String SERVICE = "istio.v1.auth.IstioCertificateService";
    /** A tag is {@code field << 3 | wire type}; wire type 2 is length-delimited, 0 is varint. */
    private static final int TAG_1_BYTES = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int TAG_3_VARINT = 3 << 3 | WireFormat.WIRETYPE_VARINT;
    private static final int TAG_4_BYTES = 4 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private CertificateMessages() {
    }

    /** {@code IstioCertificateRequest}. */
    record Request(String csr, long validityDurationSeconds, Struct metadata) {

        Request {
            Objects.requireNonNull(csr, "csr");
            metadata = metadata == null ? Struct.getDefaultInstance() : metadata;
        }

        /** A string field of the metadata, or empty. */
        String metadataString(String key) {
            var value = metadata.getFieldsMap().get(key);
            return value == null ? "" : value.getStringValue();
        }

        byte[] toBytes() {
            return encode(out -> {
                if (!csr.isEmpty()) {
                    out.writeString(1, csr);
                }
                if (validityDurationSeconds != 0) {
                    out.writeInt64(3, validityDurationSeconds);
                }
                if (!metadata.equals(Struct.getDefaultInstance())) {
                    out.writeMessage(4, metadata);
                }
            });
        }

        static Request parse(InputStream stream) throws IOException {
            CodedInputStream in = CodedInputStream.newInstance(stream);
            String csr = "";
            long validity = 0;
            Struct metadata = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == TAG_1_BYTES) {
                    csr = in.readStringRequireUtf8();
                } else if (tag == TAG_3_VARINT) {
                    validity = in.readInt64();
                } else if (tag == TAG_4_BYTES) {
                    // Proto3 merges repeated occurrences of a message field; so do we.
                    Struct next = Struct.parseFrom(in.readBytes());
                    metadata = metadata == null ? next : metadata.toBuilder().mergeFrom(next).build();
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
            return new Request(csr, validity, metadata);
        }
    }

    /** {@code IstioCertificateResponse}: leaf first, root last, one PEM certificate per element. */
    record Response(List<String> certChain) {

        Response {
            certChain = List.copyOf(certChain);
        }

        byte[] toBytes() {
            return encode(out -> {
                for (String cert : certChain) {
                    out.writeString(1, cert);
                }
            });
        }

        static Response parse(InputStream stream) throws IOException {
            CodedInputStream in = CodedInputStream.newInstance(stream);
            List<String> chain = new ArrayList<>();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == TAG_1_BYTES) {
                    chain.add(in.readStringRequireUtf8());
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
            return new Response(chain);
        }
    }

    /** {@code rpc CreateCertificate(IstioCertificateRequest) returns (IstioCertificateResponse)}, as a client calls it. */
    static final MethodDescriptor<Request, Response> CREATE_CERTIFICATE =
            MethodDescriptor.<Request, Response>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "CreateCertificate"))
                    .setRequestMarshaller(marshaller(Request::toBytes, Request::parse))
                    .setResponseMarshaller(marshaller(Response::toBytes, Response::parse))
                    .build();

    /**
     * The same method as the server sees it: the request as bytes, parsed by the handler, so that a malformed
     * message is answered INVALID_ARGUMENT (a marshaller's exception would reach the client as UNKNOWN).
     */
    static final MethodDescriptor<byte[], Response> SERVER_METHOD = CREATE_CERTIFICATE.toBuilder(
            marshaller(bytes -> bytes, InputStream::readAllBytes), CREATE_CERTIFICATE.getResponseMarshaller()).build();

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private interface Parser<T> {
        T parse(InputStream in) throws IOException;
    }

    private static byte[] encode(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            writer.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> MethodDescriptor.Marshaller<T> marshaller(java.util.function.Function<T, byte[]> encode,
                                                                 Parser<T> parse) {
        return new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(T value) {
                return new ByteArrayInputStream(encode.apply(value));
            }

            @Override
            public T parse(InputStream stream) {
                try {
                    return parse.parse(stream);
                } catch (IOException e) {
                    throw new IllegalArgumentException("not a valid " + SERVICE + " message", e);
                }
            }
        };
    }
}
