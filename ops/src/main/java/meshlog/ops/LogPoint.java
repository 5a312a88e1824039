package meshlog.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.kafka.LoggedEvent;

/**
 * A point of the log as users name one ({@code state --at}, {@code diff A B}): a commit (its sha, 7 hex digits or
 * more, that the log recorded), an offset of {@code meshlog.config-events} (digits), or a time (ISO instant such as
 * {@code 2026-12-06T21:00:00Z}, a date meaning its start in UTC, or {@code 2h}/{@code 30m}/{@code 7d} ago). Each
 * resolves to the offset of the last event it includes. Pure, with the clock's "now" given.
 */
final class LogPoint {

    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{7,40}");
    private static final Pattern OFFSET = Pattern.compile("[0-9]{1,18}");
    private static final Pattern AGO = Pattern.compile("([0-9]{1,9})(s|m|h|d)");

    /**
     * @param offset the last event included (-1: before the first)
     * @param commit the commit named, or null for an offset or a time
     * @param time the time named, or null
     */
    record Resolved(long offset, String commit, Instant time, String shown) {
    }

    private LogPoint() {
    }

    /**
     * What resolving a point needs of one event: where and when, and for a commit's closing event its sha.
     *
     * @param closes the commit an applied or rejected commit's closing event closes, else null
     * @param applied whether it is an applied commit's (what a cluster's publication at the point is bounded by)
     */
    record Entry(long offset, Instant timestamp, String closes, boolean applied) {
        static Entry of(LoggedEvent le) {
            boolean applied = le.event() instanceof CommitApplied;
            boolean closing = applied || le.event() instanceof CommitRejected;
            return new Entry(le.offset(), le.timestamp(), closing ? le.event().commit() : null, applied);
        }
    }

    /** The time of the first applied commit's closing event after {@code offset}, or null when there is none. */
    static Instant nextApplied(List<Entry> events, long offset) {
        for (Entry e : events) {
            if (e.offset() > offset && e.applied()) {
                return e.timestamp();
            }
        }
        return null;
    }

    /** The first entry closing a commit whose sha starts with {@code prefix} (any case), or null. */
    static Entry closingOf(List<Entry> events, String prefix) {
        String p = prefix.toLowerCase(java.util.Locale.ROOT);
        for (Entry e : events) {
            if (e.closes() != null && e.closes().startsWith(p)) {
                return e;
            }
        }
        return null;
    }

    /** @throws Flags.UsageException when the text names no point of this log */
    static Resolved resolve(String text, List<LoggedEvent> events, Instant now) {
        return resolveIndexed(text, events.stream().map(Entry::of).toList(), now);
    }

    /** As {@link #resolve}, over the log's events as {@link Entry entries} in log order. */
    static Resolved resolveIndexed(String text, List<Entry> events, Instant now) {
        if (SHA.matcher(text).matches()) {
            Entry e = closingOf(events, text);
            if (e != null) {
                return new Resolved(e.offset(), e.closes(), null, "commit " + e.closes());
            }
        }
        if (OFFSET.matcher(text).matches()) {
            return new Resolved(Long.parseLong(text), null, null, "offset " + text);
        }
        Instant t = time(text, now);
        if (t != null) {
            long last = -1;
            for (Entry e : events) {
                if (!e.timestamp().isAfter(t)) {
                    last = e.offset();
                }
            }
            return new Resolved(last, null, t, "time " + t);
        }
        throw new Flags.UsageException("\"" + meshlog.configstore.LogSafe.value(text) + "\" names no commit of the"
                + " log, no offset and no time (give a sha, an offset, 2026-12-06T21:00:00Z, 2026-12-06 or 2h)");
    }

    /** A time as {@code --since}/{@code --until} take it, or null when the text is none. */
    static Instant time(String text, Instant now) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // not an instant
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            // not a date
        }
        var m = AGO.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        return null;
    }
}
