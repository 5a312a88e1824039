package meshlog.gatewayapi;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Istio YAML writes them: Go's format ({@code 1h}, {@code 1m30s}, {@code 1.5s}, {@code 100ms},
 * {@code 250us}), which also covers protobuf JSON's decimal-seconds form ({@code 0.5s}).
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|ms|s|m|h)");
    private static final int MAX_LENGTH = 64;

    private Durations() {
    }

    /** The duration, or null when {@code text} is not one. */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        String s = text.startsWith("+") ? text.substring(1) : text;
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        boolean negative = s.startsWith("-");
        if (negative) {
            s = s.substring(1);
        }
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        if (at == 0 || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return null;
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
    }

    public static String format(Duration d) {
        if (d.getNano() == 0) {
            return d.getSeconds() + "s";
        }
        return BigDecimal.valueOf(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString() + "s";
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
