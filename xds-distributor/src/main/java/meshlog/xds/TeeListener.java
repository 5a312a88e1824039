package meshlog.xds;

import meshlog.xds.grpc.StreamListener;
import meshlog.xds.proxy.ProxyNode;

/** Passes every stream event to two listeners, in order. */
final class TeeListener implements StreamListener {

    private final StreamListener first;
    private final StreamListener second;

    TeeListener(StreamListener first, StreamListener second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void connected(long stream, ProxyNode proxy) {
        first.connected(stream, proxy);
        second.connected(stream, proxy);
    }

    @Override
    public void acked(long stream, String typeUrl, String version) {
        first.acked(stream, typeUrl, version);
        second.acked(stream, typeUrl, version);
    }

    @Override
    public void nacked(long stream, String typeUrl, String version, String error) {
        first.nacked(stream, typeUrl, version, error);
        second.nacked(stream, typeUrl, version, error);
    }

    @Override
    public void disconnected(long stream) {
        first.disconnected(stream);
        second.disconnected(stream);
    }
}
