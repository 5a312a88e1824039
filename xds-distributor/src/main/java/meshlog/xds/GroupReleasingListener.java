package meshlog.xds;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import meshlog.xds.grpc.StreamListener;
import meshlog.xds.proxy.ProxyGroup;
import meshlog.xds.proxy.ProxyNode;

/** Passes stream events on, and tells when a stream of a proxy group has gone, so idle groups can be dropped. */
final class GroupReleasingListener implements StreamListener {

    private final StreamListener next;
    private final Consumer<ProxyGroup> released;
    private final Map<Long, ProxyGroup> groupOfStream = new ConcurrentHashMap<>();

    GroupReleasingListener(StreamListener next, Consumer<ProxyGroup> released) {
        this.next = next;
        this.released = released;
    }

    @Override
    public void connected(long stream, ProxyNode proxy) {
        groupOfStream.put(stream, proxy.group());
        next.connected(stream, proxy);
    }

    @Override
    public void acked(long stream, String typeUrl, String version) {
        next.acked(stream, typeUrl, version);
    }

    @Override
    public void nacked(long stream, String typeUrl, String version, String error) {
        next.nacked(stream, typeUrl, version, error);
    }

    @Override
    public void disconnected(long stream) {
        next.disconnected(stream);
        ProxyGroup group = groupOfStream.remove(stream);
        if (group != null) {
            released.accept(group);
        }
    }
}
