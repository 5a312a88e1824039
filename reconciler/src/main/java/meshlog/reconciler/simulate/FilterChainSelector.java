package meshlog.reconciler.simulate;

import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Envoy's filter chain match: the criteria are taken in Envoy's order (destination port, destination IP, server
 * names, transport protocol, application protocols, source IP, source port); at each the most specific chains
 * that match stay, chains that leave the criterion empty stay only when no chain names a matching value, and there
 * is no backtracking to a less specific chain when a later criterion fails. No chain left: the default chain.
 */
final class FilterChainSelector {

    private static final int NO = -1;

    /** A chosen chain and how the result names it. */
    record Chosen(FilterChain chain, String label) {
    }

    private FilterChainSelector() {
    }

    /** The chain a connection to {@code destinationIp} takes, or null when none and no default. */
    static Chosen select(Listener listener, SimRequest req) {
        byte[] dst = Addresses.literal(req.destination());
        byte[] src = Addresses.literal(req.source());
        String transport = req.sni() != null ? "tls" : "raw_buffer";
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < listener.getFilterChainsCount(); i++) {
            left.add(i);
        }
        List<ToIntFunction<FilterChainMatch>> criteria = List.of(
                m -> !m.hasDestinationPort() ? 0 : m.getDestinationPort().getValue() == req.port() ? 1 : NO,
                m -> ranges(m.getPrefixRangesList(), dst),
                m -> serverNames(m.getServerNamesList(), req.sni()),
                m -> m.getTransportProtocol().isEmpty() ? 0 : m.getTransportProtocol().equals(transport) ? 1 : NO,
                m -> m.getApplicationProtocolsCount() == 0 ? 0 : NO, // the simulator's requests offer no ALPN
                m -> ranges(m.getSourcePrefixRangesList(), src),
                m -> m.getSourcePortsCount() == 0 ? 0 : NO); // nor a known source port
        for (ToIntFunction<FilterChainMatch> criterion : criteria) {
            left = mostSpecific(listener, left, criterion);
        }
        if (!left.isEmpty()) {
            FilterChain c = listener.getFilterChains(left.get(0));
            return new Chosen(c, c.getName().isEmpty() ? "filter_chains[" + left.get(0) + "]" : c.getName());
        }
        if (listener.hasDefaultFilterChain()) {
            FilterChain c = listener.getDefaultFilterChain();
            return new Chosen(c, c.getName().isEmpty() ? "default_filter_chain" : c.getName());
        }
        return null;
    }

    private static List<Integer> mostSpecific(Listener l, List<Integer> chains, ToIntFunction<FilterChainMatch> f) {
        int best = NO;
        List<Integer> out = new ArrayList<>();
        for (int i : chains) {
            int score = f.applyAsInt(l.getFilterChains(i).getFilterChainMatch());
            if (score > best) {
                best = score;
                out.clear();
            }
            if (score == best && score != NO) {
                out.add(i);
            }
        }
        return out;
    }

    /** Longest matching prefix (+1 so that an explicit /0 ties with an empty list, as Envoy's trie has it). */
    private static int ranges(List<CidrRange> ranges, byte[] ip) {
        if (ranges.isEmpty()) {
            return 0;
        }
        int best = NO;
        for (CidrRange r : ranges) {
            if (Addresses.contains(r, ip)) {
                best = Math.max(best, Addresses.prefixLen(r));
            }
        }
        return best == NO ? NO : Math.max(best, 0);
    }

    /** Exact server name first, then the longest {@code *.suffix} wildcard. */
    private static int serverNames(List<String> names, String sni) {
        if (names.isEmpty()) {
            return 0;
        }
        if (sni == null) {
            return NO;
        }
        String host = sni.toLowerCase(Locale.ROOT);
        int best = NO;
        for (String n : names) {
            String name = n.toLowerCase(Locale.ROOT);
            if (name.equals(host)) {
                return Integer.MAX_VALUE;
            }
            if (name.startsWith("*.") && host.endsWith(name.substring(1)) && host.length() > name.length() - 1) {
                best = Math.max(best, name.length());
            }
        }
        return best;
    }
}
