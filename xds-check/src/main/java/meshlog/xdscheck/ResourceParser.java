package meshlog.xdscheck;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

/**
 * How {@link SnapshotCheck} turns a resource's bytes into its proto. The reconciler parses plainly; a distributor
 * parses through its pool, so a resource 500 scopes share is one proto, and keeps what the check decoded.
 */
public interface ResourceParser {

    /** Parses every resource anew. */
    ResourceParser PLAIN = new ResourceParser() {
        @Override
        public <T extends Message> T parse(String typeUrl, byte[] bytes, Parser<T> parser)
                throws InvalidProtocolBufferException {
            return parser.parseFrom(bytes);
        }
    };

    /** The resource {@code bytes} hold, of type {@code typeUrl}, as {@code parser} reads it. */
    <T extends Message> T parse(String typeUrl, byte[] bytes, Parser<T> parser) throws InvalidProtocolBufferException;
}
