package meshlog.gatewayapi.validate;

/** Host-name relations Istio's VirtualService rules use ({@code host.Name.Matches} and {@code SubsetOf}). */
final class Hostnames {

    private Hostnames() {
    }

    /** Whether some host matches both: equal, or one is a wildcard ({@code *.foo.com}, {@code *}) covering the other. */
    static boolean overlap(String a, String b) {
        return subsetOf(a, b) || subsetOf(b, a);
    }

    /** Whether every host {@code sub} names is also named by {@code of}. */
    static boolean subsetOf(String sub, String of) {
        if (sub.equals(of) || of.equals("*")) {
            return true;
        }
        if (!of.startsWith("*")) {
            return false;
        }
        return !sub.equals("*") && sub.endsWith(of.substring(1));
    }
}
