package meshlog.agent;

import java.util.HashMap;
import java.util.Map;

/**
 * Whether the sidecar is ready, as pilot-agent's {@code /healthz/ready} decides: the workload certificate is there,
 * Envoy's admin {@code /ready} says {@code LIVE}, it has received its first CDS and LDS (applied or rejected: a
 * rejected update is still an answer from the control plane, and the stats say which), and the agent is not
 * draining. Envoy goes LIVE after its initial fetch timeout even with no control plane, so LIVE alone is not enough.
 * Pure: Envoy's answers in, a verdict out.
 */
final class EnvoyReadiness {

    /** The {@code /stats?filter=} regex whose answer {@link #of} reads. */
    static final String FILTER = "^(cluster_manager\\.cds|listener_manager\\.lds)\\.update_(success|rejected)$";

    /** The answer: ready or not, and why not. */
    record Verdict(boolean ready, String reason) {
    }

    private EnvoyReadiness() {
    }

    /**
     * @param certificate whether the agent holds an unexpired certificate
     * @param draining    whether the agent is draining (SIGTERM received)
     * @param state       the body of Envoy's admin {@code /ready} ({@code LIVE}, {@code PRE_INITIALIZING}, ...), or
     *                    null when it did not answer
     * @param stats       the body of {@code /stats?filter=}{@link #FILTER}, or null when it did not answer
     */
    static Verdict of(boolean certificate, boolean draining, String state, String stats) {
        if (draining) {
            return new Verdict(false, "draining");
        }
        if (!certificate) {
            return new Verdict(false, "no workload certificate yet");
        }
        if (state == null || stats == null) {
            return new Verdict(false, "Envoy's admin API does not answer");
        }
        if (!state.strip().equals("LIVE")) {
            return new Verdict(false, "Envoy is not LIVE (" + meshlog.configstore.LogSafe.value(state.strip(), 40)
                    + ")");
        }
        Map<String, Long> s = parse(stats);
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
