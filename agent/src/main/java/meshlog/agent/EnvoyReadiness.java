package meshlog.agent;

import java.util.HashMap;
import java.util.Map;

/**
 * Whether the sidecar is ready, as pilot-agent's {@code /healthz/ready} decides: the workload certificate is there,
 * Envoy is {@code LIVE} and has received its first CDS and LDS (applied or rejected: a rejected update is still an
 * answer from the control plane, and the stats say which), and the agent is not draining. Pure: Envoy's stats text
 * in, a verdict out.
 */
final class EnvoyReadiness {

    /** The {@code /stats?filter=} regex whose answer {@link #of} reads. */
    static final String FILTER = "^(server\\.state|cluster_manager\\.cds\\.update_(success|rejected)"
            + "|listener_manager\\.lds\\.update_(success|rejected))$";

    /** The answer: ready or not, and why not. */
    record Verdict(boolean ready, String reason) {
    }

    private EnvoyReadiness() {
    }

    /**
     * @param certificate whether the agent holds an unexpired certificate
     * @param draining    whether the agent is draining (SIGTERM received)
     * @param stats       the body of {@code /stats?filter=}{@link #FILTER} on Envoy's admin API, or null when it
     *                    did not answer
     */
    static Verdict of(boolean certificate, boolean draining, String stats) {
        if (draining) {
            return new Verdict(false, "draining");
        }
        if (!certificate) {
            return new Verdict(false, "no workload certificate yet");
        }
        if (stats == null) {
            return new Verdict(false, "Envoy's admin API does not answer");
        }
        Map<String, Long> s = parse(stats);
        if (s.getOrDefault("server.state", -1L) != 0) {
            return new Verdict(false, "Envoy is not LIVE (server.state " + s.getOrDefault("server.state", -1L) + ")");
        }
        if (received(s, "cluster_manager.cds") == 0) {
            return new Verdict(false, "Envoy has received no CDS yet");
        }
        if (received(s, "listener_manager.lds") == 0) {
            return new Verdict(false, "Envoy has received no LDS yet");
        }
        return new Verdict(true, "ready");
    }

    private static long received(Map<String, Long> s, String prefix) {
        return s.getOrDefault(prefix + ".update_success", 0L) + s.getOrDefault(prefix + ".update_rejected", 0L);
    }

    /** {@code name: value} lines; anything else skipped. */
    static Map<String, Long> parse(String stats) {
        Map<String, Long> out = new HashMap<>();
        for (String line : stats.split("\n")) {
            int colon = line.lastIndexOf(": ");
            if (colon > 0 && line.substring(colon + 2).strip().matches("\\d{1,18}")) {
                out.put(line.substring(0, colon).strip(), Long.parseLong(line.substring(colon + 2).strip()));
            }
        }
        return out;
    }
}
