package meshlog.caserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Struct;
import com.google.protobuf.StructProto;
import com.google.protobuf.Value;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wire compatibility with Istio's {@code security/v1alpha1/ca.proto}, checked against protobuf's own codec: the
 * descriptor below is that file's two messages, field by field, and DynamicMessage encodes and decodes with it.
 */
class CertificateMessagesTest {

    private static Descriptor request;
    private static Descriptor response;

    @BeforeAll
    static void descriptors() throws Exception {
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("security/v1alpha1/ca.proto")
                .setPackage("istio.v1.auth").setSyntax("proto3").addDependency("google/protobuf/struct.proto")
                .addMessageType(DescriptorProto.newBuilder().setName("IstioCertificateRequest")
                        .addField(field("csr", 1, Type.TYPE_STRING, Label.LABEL_OPTIONAL))
                        .addField(field("validity_duration", 3, Type.TYPE_INT64, Label.LABEL_OPTIONAL))
                        .addField(field("metadata", 4, Type.TYPE_MESSAGE, Label.LABEL_OPTIONAL)
                                .setTypeName(".google.protobuf.Struct")))
                .addMessageType(DescriptorProto.newBuilder().setName("IstioCertificateResponse")
                        .addField(field("cert_chain", 1, Type.TYPE_STRING, Label.LABEL_REPEATED)))
                .build();
        FileDescriptor built = FileDescriptor.buildFrom(file, new FileDescriptor[] {StructProto.getDescriptor()});
        request = built.findMessageTypeByName("IstioCertificateRequest");
        response = built.findMessageTypeByName("IstioCertificateResponse");
    }

    @Test
    void readsWhatProtobufWritesForARequest() throws Exception {
        Struct metadata = Struct.newBuilder().putFields("ClusterID", Value.newBuilder().setStringValue("east")
                .build()).build();
        byte[] wire = DynamicMessage.newBuilder(request)
                .setField(request.findFieldByName("csr"), "-----BEGIN CERTIFICATE REQUEST-----\n…")
                .setField(request.findFieldByName("validity_duration"), 86_400L)
                .setField(request.findFieldByName("metadata"), metadata)
                .build().toByteArray();

        CertificateMessages.Request parsed = CertificateMessages.Request.parse(new ByteArrayInputStream(wire));

        assertThat(parsed.csr()).isEqualTo("-----BEGIN CERTIFICATE REQUEST-----\n…");
        assertThat(parsed.validityDurationSeconds()).isEqualTo(86_400L);
        assertThat(parsed.metadataString("ClusterID")).isEqualTo("east");
    }

    @Test
    void writesWhatProtobufReads() throws Exception {
        byte[] requestWire = new CertificateMessages.Request("csr-pem", -1, Struct.getDefaultInstance()).toBytes();
        byte[] responseWire = new CertificateMessages.Response(List.of("leaf\n", "intermediate\n", "root\n"))
                .toBytes();

        DynamicMessage decodedRequest = DynamicMessage.parseFrom(request, requestWire);
        DynamicMessage decodedResponse = DynamicMessage.parseFrom(response, responseWire);

        assertThat(decodedRequest.getField(request.findFieldByName("csr"))).isEqualTo("csr-pem");
        assertThat(decodedRequest.getField(request.findFieldByName("validity_duration"))).isEqualTo(-1L);
        assertThat(decodedRequest.getUnknownFields().asMap()).isEmpty();
        assertThat(decodedResponse.getField(response.findFieldByName("cert_chain")))
                .isEqualTo(List.of("leaf\n", "intermediate\n", "root\n"));
    }

    @Test
    void readsAResponseProtobufWritesAndSkipsUnknownFields() throws Exception {
        byte[] wire = DynamicMessage.newBuilder(response)
                .addRepeatedField(response.findFieldByName("cert_chain"), "a\n")
                .addRepeatedField(response.findFieldByName("cert_chain"), "b\n")
                .build().toByteArray();
        byte[] withUnknown = DynamicMessage.newBuilder(request).setField(request.findFieldByName("csr"), "x")
                .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder().addField(9,
                        com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build())
                .build().toByteArray();

        assertThat(CertificateMessages.Response.parse(new ByteArrayInputStream(wire)).certChain())
                .containsExactly("a\n", "b\n");
        assertThat(CertificateMessages.Request.parse(new ByteArrayInputStream(withUnknown)).csr()).isEqualTo("x");
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type, Label label) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type).setLabel(label)
                .setJsonName(name);
    }
}
