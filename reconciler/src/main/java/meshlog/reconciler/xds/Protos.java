package meshlog.reconciler.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small helpers shared by the builders. */
final class Protos {

    private static final String TYPE_URL_PREFIX = "type.googleapis.com/";

    private Protos() {
    }

    /**
     * The message's bytes with deterministic serialization (map entries sorted), so equal content gives equal bytes
     * and an equal version on every replica.
     */
    static byte[] bytes(Message m) {
        byte[] out = new byte[m.getSerializedSize()];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        cos.useDeterministicSerialization();
        try {
            m.writeTo(cos);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to an array cannot fail", e);
        }
        cos.checkNoSpaceLeft();
        return out;
    }

    /** Like {@link Any#pack}, but with deterministic bytes inside. */
    static Any pack(Message m) {
        return Any.newBuilder().setTypeUrl(TYPE_URL_PREFIX + m.getDescriptorForType().getFullName())
                .setValue(ByteString.copyFrom(bytes(m))).build();
    }

    static com.google.protobuf.Duration duration(java.time.Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    /** "Fetch this over the same ADS stream, as v3." */
    static ConfigSource ads() {
        return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3).build();
    }
}
