package meshlog.ops;

import meshlog.configstore.LogSafe;

/**
 * A distributor's address as the {@code --xds HOST:PORT} flag gives it ({@code [::1]:15010} for IPv6).
 *
 * @param host without brackets
 */
record XdsAddress(String host, int port) {

    /** @throws Flags.UsageException when {@code text} is not HOST:PORT with a port 0..65535 */
    static XdsAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new Flags.UsageException("--xds takes HOST:PORT, got \"" + LogSafe.value(text) + "\"");
        }
        return new XdsAddress(text.substring(0, colon).replaceAll("^\\[|]$", ""),
                port(text.substring(colon + 1), "--xds"));
    }

    /** @throws Flags.UsageException naming {@code flag} when {@code text} is not a port 0..65535 */
    static int port(String text, String flag) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Flags.UsageException(flag + " needs a port 0..65535, got \"" + LogSafe.value(text) + "\"");
    }
}
