package meshlog.reconciler.translate;

/** Recognises IP address literals without ever resolving a name (translation does no I/O). */
final class IpLiterals {

    private IpLiterals() {
    }

    static boolean isIp(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Hex groups separated by colons, at most one {@code ::}, optionally ending in an IPv4 literal. */
    static boolean isIpv6(String s) {
        if (!s.contains(":") || s.indexOf("::") != s.lastIndexOf("::")) {
            return false;
        }
        String body = s;
        int groupsLeft = 8;
        int lastColon = s.lastIndexOf(':');
        if (s.substring(lastColon + 1).contains(".")) {
            if (!isIpv4(s.substring(lastColon + 1))) {
                return false;
            }
            body = s.substring(0, lastColon + 1) + "0";
            groupsLeft = 7;
        }
        String[] groups = body.split(":", -1);
        int nonEmpty = 0;
        for (String g : groups) {
            if (g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return false;
            }
            nonEmpty += g.isEmpty() ? 0 : 1;
        }
        return body.contains("::") ? nonEmpty < groupsLeft : nonEmpty == groupsLeft && groups.length == groupsLeft;
    }
}
