package meshlog.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line flags {@code --name value} or {@code --name=value}, and positional arguments. */
final class Flags {

    /** A mistake on the command line: printed as one line, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Flags() {
    }

    /** @param known flag names without dashes; anything else is a usage error naming the flag */
    static Flags parse(List<String> args, Set<String> known, Set<String> booleans) {
        Flags f = new Flags();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") && !(a.startsWith("-") && a.length() == 2)) {
                f.positional.add(a);
                continue;
            }
            String name = a.replaceFirst("^--?", "");
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!known.contains(name) && !booleans.contains(name)) {
                throw new UsageException("unknown flag --" + name);
            }
            if (booleans.contains(name)) {
                f.values.put(name, value == null ? "true" : value);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("flag --" + name + " needs a value");
                }
                value = args.get(++i);
            }
            f.values.put(name, value);
        }
        return f;
    }

    List<String> positional() {
        return positional;
    }

    String get(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** {@code --name FILE}: null when absent; refused when it names no regular file. */
    java.nio.file.Path existingFile(String name) {
        if (!has(name)) {
            return null;
        }
        java.nio.file.Path p = java.nio.file.Path.of(get(name, ""));
        if (!java.nio.file.Files.isRegularFile(p)) {
            throw new UsageException("--" + name + " " + p + " does not exist or is not a file");
        }
        return p;
    }

    /** A flag without a value: false when absent; {@code --name=false} is allowed too. */
    boolean bool(String name) {
        String v = values.getOrDefault(name, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw new UsageException("--" + name + " takes no value (or =true, =false), got \"" + v + "\"");
        }
        return v.equals("true");
    }

    int intValue(String name, int dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got \"" + v + "\"");
        }
    }

    /** A count or a size: {@code 20000}, {@code 512k}, {@code 64M}, {@code 1GiB} (powers of 1024). */
    long bytes(String name, long dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)([0-9]{1,15})([kmg]?)(i?b)?").matcher(v);
        if (!m.matches() || (m.group(2).isEmpty() && m.group(3) != null)) {
            throw new UsageException("--" + name + " must be a whole number, optionally with k, M or G (1024s), got \""
                    + v + "\"");
        }
        int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    /** Durations as users write them: {@code 500ms}, {@code 1s}, {@code 2m}. */
    Duration duration(String name, Duration dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            switch (v.charAt(v.length() - 1)) {
                case 's': return Duration.ofSeconds(n);
                case 'm': return Duration.ofMinutes(n);
                case 'h': return Duration.ofHours(n);
                case 'd': return Duration.ofDays(n);
                default: break;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // falls through to the usage error
        }
        throw new UsageException("--" + name + " must be a duration like 500ms, 1s, 2m, 4h or 7d, got \"" + v + "\"");
    }
}
