package meshlog.configstore.status;

import java.time.Instant;
import java.util.Map;

/**
 * What one proxy last did with what it was sent, per xDS type: the record of {@code meshlog.proxy-status}
 * (key {@code cluster/proxyId}), shown by {@code meshlog status} and the admin API.
 *
 * @param distributor the address of the distributor it is (or was last) connected to
 * @param types by type URL
 */
public record ProxyStatus(String cluster, String proxyId, String distributor, boolean connected,
                          Map<String, TypeStatus> types, Instant updated) {

    public ProxyStatus {
        types = Map.copyOf(types);
    }

    /**
     * @param ackedVersion last version the proxy accepted, or null
     * @param nackedVersion last version it rejected and has not accepted since, or null
     * @param error the proxy's error detail for that rejection, or null
     */
    public record TypeStatus(String ackedVersion, String nackedVersion, String error, Instant time) {
    }
}
