package meshlog.gatewayapi.kube;

import java.util.ArrayList;
import java.util.List;

/**
 * Which hostnames of a route a Gateway API listener serves, as the spec's {@code HTTPRouteSpec.hostnames} says: a
 * listener without a hostname takes every route hostname; a route without hostnames takes the listener's (or
 * {@code *}); otherwise an exact name must equal, and a wildcard {@code *.example.com} covers names of one or more
 * further labels ({@code a.example.com}, {@code a.b.example.com}, never {@code example.com}). Of two names where one
 * covers the other, the more specific is served. An empty answer for a route with hostnames means the route does not
 * attach to that listener (Accepted=False, reason NoMatchingListenerHostname).
 */
public final class ListenerHostnames {

    private ListenerHostnames() {
    }

    /**
     * @param listener the listener's hostname, null or empty when not written
     * @param route the route's hostnames, empty when not written
     * @return the hostnames served, distinct, in the route's order
     */
    public static List<String> intersect(String listener, List<String> route) {
        boolean anyListener = listener == null || listener.isEmpty();
        if (route.isEmpty()) {
            return List.of(anyListener ? "*" : listener);
        }
        List<String> out = new ArrayList<>();
        for (String h : route) {
            String served = anyListener ? h : covers(listener, h) ? h : covers(h, listener) ? listener : null;
            if (served != null && !out.contains(served)) {
                out.add(served);
            }
        }
        return out;
    }

    /**
     * Whether {@code pattern} (exact or {@code *.suffix}) takes every name {@code host} takes; Istio's Gateway hosts
     * are compared the same way (plus {@code *}, which the Gateway API does not write).
     */
    public static boolean covers(String pattern, String host) {
        if (pattern.equals(host)) {
            return true;
        }
        if (!pattern.startsWith("*.")) {
            return false;
        }
        String suffix = pattern.substring(1);
        return host.endsWith(suffix) && host.length() > suffix.length();
    }
}
