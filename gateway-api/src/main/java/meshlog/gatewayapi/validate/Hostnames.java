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

    /** Dot-separated DNS-1123 labels (a trailing dot allowed), at most 255 characters, no wildcard. */
    static boolean isFqdn(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > 255) {
            return false;
        }
        for (String label : n.split("\\.", -1)) {
            if (!Checks.isDns1123Label(label)) {
                return false;
            }
        }
        return true;
    }
}
