package meshlog.xds.grpc;

/** What a proxy said about a response of one type: the same for state-of-the-world and delta streams. */
sealed interface StreamEvent permits StreamEvent.Ack, StreamEvent.Nack {

    /** The proxy accepted the type at {@code version} (the snapshot's version of that type). */
    record Ack(String typeUrl, String version) implements StreamEvent {
    }

    /** The proxy rejected the type at {@code version} ({@code ""} when the nonce is unknown). */
    record Nack(String typeUrl, String version, String error) implements StreamEvent {
    }
}
