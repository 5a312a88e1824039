package meshlog.configstore.status;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import meshlog.configstore.LogSafe;
import meshlog.configstore.kafka.TopicReader;
import meshlog.configstore.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the latest status of every proxy from {@code meshlog.proxy-status}: what {@code meshlog status} shows. */
public final class ProxyStatusReader {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyStatusReader.class);

    private ProxyStatusReader() {
    }

    /**
     * The latest status per {@code cluster/proxyId} as of the call, sorted by cluster and proxy id; proxies whose
     * latest record is a tombstone are left out, and so are unreadable records (logged).
     *
     * @throws IllegalStateException if the topic cannot be read to its end within {@code timeout}
     */
    public static List<ProxyStatus> readLatest(String bootstrap, Duration timeout) {
        Map<String, ProxyStatus> latest = new HashMap<>();
        TopicReader.readToEnd(bootstrap, Topics.PROXY_STATUS, "meshlog-proxy-status-reader", timeout, r -> {
            if (r.value() == null) {
                latest.remove(r.key());
                return;
            }
            try {
                latest.put(r.key(), ProxyStatusCodec.decode(r.value()));
            } catch (IllegalArgumentException e) {
                LOG.warn("skipped unreadable proxy status offset={} key={}: {}", r.offset(),
                        LogSafe.value(r.key()), LogSafe.value(e.getMessage()));
            }
        });
        return latest.values().stream()
                .sorted(Comparator.comparing(ProxyStatus::cluster).thenComparing(ProxyStatus::proxyId))
                .toList();
    }
}
