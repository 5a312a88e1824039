package meshlog.gatewayapi.parse;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the Gateway API writes them (GEP-2257): one to four parts, each up to five digits and a unit of
 * {@code h}, {@code m}, {@code s} or {@code ms}, no sign and no fractions ({@code 10s}, {@code 1h30m}, {@code 500ms}).
 * A strict subset of Go's format, so {@code 1.5s} or {@code 1d} are refused here though Istio's own kinds accept the
 * first.
 */
final class GepDurations {

    static final String FORMAT = "a Gateway API duration (GEP-2257: up to 4 parts of 1-5 digits with unit h, m, s"
            + " or ms, like 10s, 1h30m or 500ms)";

    private static final Pattern WHOLE = Pattern.compile("([0-9]{1,5}(h|m|s|ms)){1,4}");
    private static final Pattern PART = Pattern.compile("([0-9]{1,5})(ms|h|m|s)");

    private GepDurations() {
    }

    /** The duration, or null when {@code text} is not in the GEP-2257 format. */
    static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            return null;
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
        }
        return total;
    }

    /** Reads {@code key} as a GEP-2257 duration; null when absent, or when malformed (reported as {@code code}). */
    static Duration read(Fields f, String key, String code) {
        String text = f.string(key);
        if (text == null) {
            return null;
        }
        Duration d = parse(text);
        if (d == null) {
            f.error(code, key, "must be " + FORMAT + ", got \"" + text + "\"");
        }
        return d;
    }
}
