package meshlog.gatewayapi.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import meshlog.gatewayapi.model.ObjectMeta;
import meshlog.gatewayapi.model.PeerAuthentication;
import meshlog.gatewayapi.model.PeerAuthentication.MtlsMode;
import meshlog.gatewayapi.parse.SourceNode.MapNode;

/**
 * Reads {@code PeerAuthentication.spec}. The keys of {@code portLevelMtls} are checked here (code PA0102, PA0103),
 * since only valid port numbers can enter the model.
 */
final class PeerAuthenticationReader {

    static final String EMPTY_PORT_LEVEL = "PA0102";
    static final String BAD_PORT_KEY = "PA0103";

    private PeerAuthenticationReader() {
    }

    static PeerAuthentication read(ObjectMeta meta, Fields spec) {
        var selector = PolicyTargetReader.selector(spec);
        MtlsMode mode = MtlsMode.UNSET;
        Fields mtls = spec.object("mtls");
        if (mtls != null) {
            mode = EnumField.read(mtls, "mode", MtlsMode.class, MtlsMode.UNSET);
            mtls.end();
        }
        return new PeerAuthentication(meta, selector, mode, portLevelMtls(spec));
    }

    private static Map<Integer, MtlsMode> portLevelMtls(Fields spec) {
        Map<Integer, MtlsMode> out = new LinkedHashMap<>();
        boolean isMap = spec.has("portLevelMtls") && spec.raw("portLevelMtls") instanceof MapNode;
        Fields ports = spec.object("portLevelMtls");
        if (ports == null) {
            return out;
        }
        if (isMap && ports.keys().isEmpty()) {
            spec.error(EMPTY_PORT_LEVEL, "portLevelMtls", "must have at least one port when given; remove it to "
                    + "use the workload-wide mode");
        }
        for (String key : ports.keys()) {
            Fields item = ports.object(key);
            MtlsMode portMode = MtlsMode.UNSET;
            if (item != null) {
                portMode = EnumField.read(item, "mode", MtlsMode.class, MtlsMode.UNSET);
                item.end();
            }
            Integer port = portNumber(key);
            if (port == null) {
                ports.error(BAD_PORT_KEY, key, "key \"" + key + "\" is not a port number; port must be between "
                        + "1-65535");
            } else {
                out.put(port, portMode);
            }
        }
        ports.end();
        return out;
    }

    /** The port a key names, or null unless it is a decimal number 1..65535. */
    private static Integer portNumber(String key) {
        if (key.isEmpty() || key.length() > 10 || !key.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        long port = Long.parseLong(key);
        return port >= 1 && port <= 65535 ? (int) port : null;
    }
}
