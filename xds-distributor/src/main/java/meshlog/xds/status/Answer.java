package meshlog.xds.status;

import java.time.Instant;

/**
 * One proxy's answer to one scope snapshot version, handed by {@link AckRecorder} (on an xDS thread) to
 * {@link AckBatcher} (on its own).
 *
 * @param servedSince when this distributor began serving the version for the scope
 * @param connected when the proxy's stream opened
 * @param typeUrl for a NACK, the type rejected; null for an ACK
 * @param error for a NACK, the proxy's error detail as sent (escaped and cut when batched); null for an ACK
 */
record Answer(String scope, String version, String commit, Instant servedSince, String proxyId, Instant connected,
              Instant time, String typeUrl, String error) {

    boolean acked() {
        return typeUrl == null;
    }

    /** Whether the proxy was pushed the version (its stream was open before), rather than finding it on connect. */
    boolean pushed() {
        return connected.isBefore(servedSince);
    }
}
