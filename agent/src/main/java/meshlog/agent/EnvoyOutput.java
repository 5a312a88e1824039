package meshlog.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import meshlog.configstore.LogSafe;

/**
 * Envoy's standard output and error, forwarded one line at a time: each line escaped and cut to {@link #MAX_LINE}
 * characters (the rest of a longer line is read and dropped, never held), so a runaway log line costs no memory and
 * never forges a line of the agent's own.
 */
final class EnvoyOutput {

    /** Envoy's own lines are a few hundred characters; a config dump printed by mistake is cut here. */
    static final int MAX_LINE = 2000;

    private EnvoyOutput() {
    }

    /** Reads {@code in} to its end, handing each line to {@code sink}; returns when Envoy closes it. */
    static void forward(InputStream in, Consumer<String> sink) {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder(256);
            long dropped = 0;
            int c;
            while ((c = r.read()) != -1) {
                if (c == '\n') {
                    sink.accept(finish(line, dropped));
                    line.setLength(0);
                    dropped = 0;
                } else if (line.length() < MAX_LINE) {
                    line.append((char) c);
                } else {
                    dropped++;
                }
            }
            if (line.length() > 0) {
                sink.accept(finish(line, dropped));
            }
        } catch (IOException e) {
            // the pipe closed under us: Envoy is gone, which the supervisor sees on its own
        }
    }

    private static String finish(StringBuilder line, long dropped) {
        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
        String text = LogSafe.value(line.substring(0, end), MAX_LINE);
        return dropped == 0 ? text : text + "…(+" + dropped + " chars)";
    }
}
