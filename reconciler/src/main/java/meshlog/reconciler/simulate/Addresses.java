package meshlog.reconciler.simulate;

import io.envoyproxy.envoy.config.core.v3.CidrRange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP literals and CIDR ranges, without DNS: a name that is not an IP literal matches no range. */
final class Addresses {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Only these characters, so that InetAddress parses and never resolves. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private Addresses() {
    }

    /** The address bytes of an IP literal, or null for anything else (never resolved). */
    static byte[] literal(String text) {
        if (text != null && IPV4.matcher(text).matches()) {
            byte[] out = new byte[4];
            String[] parts = text.split("\\.");
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) {
                    return null;
                }
                out[i] = (byte) octet;
            }
            return out;
        }
        if (text == null || !IPV6.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress(); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static boolean isWildcard(String text) {
        return "0.0.0.0".equals(text) || "::".equals(text);
    }

    /** Whether {@code ip} lies in {@code range}; the range's prefix length defaults to the full address. */
    static boolean contains(CidrRange range, byte[] ip) {
        byte[] net = literal(range.getAddressPrefix());
        if (ip == null || net == null || net.length != ip.length) {
            return false;
        }
        int len = range.hasPrefixLen() ? range.getPrefixLen().getValue() : net.length * 8;
        for (int bit = 0; bit < len; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((net[bit / 8] & mask) != (ip[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    static int prefixLen(CidrRange range) {
        byte[] net = literal(range.getAddressPrefix());
        int full = net == null ? 32 : net.length * 8;
        return range.hasPrefixLen() ? range.getPrefixLen().getValue() : full;
    }
}
