package meshlog.gitsync.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw commit object split as git splits it to verify it: the signature (the {@code gpgsig} header, continuation
 * lines unfolded) and the payload it signs, which is the object without its signature headers.
 *
 * @param signature the armored signature, or null when the commit is not signed
 * @param committerTime the committer's timestamp (what git checks an SSH key's {@code valid-after} against), or
 *     null when the committer line is malformed
 */
record SignedPayload(byte[] payload, String signature, Instant committerTime) {

    private static final Pattern COMMITTER = Pattern.compile("^committer .*> (\\d{1,12}) [+-]\\d{4}$");

    static SignedPayload of(byte[] raw) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream(raw.length);
        StringBuilder signature = null;
        Instant committed = null;
        boolean headers = true;
        boolean inGpgsig = false;
        boolean inAnySignature = false;
        int start = 0;
        while (start < raw.length) {
            int end = start;
            while (end < raw.length && raw[end] != '\n') {
                end++;
            }
            int next = Math.min(end + 1, raw.length);
            String line = new String(raw, start, end - start, StandardCharsets.UTF_8);
            headers = headers && !line.isEmpty();
            if (headers && !line.startsWith(" ")) {
                // A new header. Git drops every signature header (of either hash) from the signed payload.
                inGpgsig = line.startsWith("gpgsig ") && signature == null;
                inAnySignature = line.startsWith("gpgsig ") || line.startsWith("gpgsig-sha256 ");
                if (inGpgsig) {
                    signature = new StringBuilder(line.substring("gpgsig ".length())).append('\n');
                }
                Matcher m = COMMITTER.matcher(line);
                if (m.matches()) {
                    committed = Instant.ofEpochSecond(Long.parseLong(m.group(1)));
                }
            } else if (headers && inGpgsig) {
                signature.append(line, 1, line.length()).append('\n');
            }
            if (!(headers && inAnySignature)) {
                payload.write(raw, start, next - start);
            }
            start = next;
        }
        return new SignedPayload(payload.toByteArray(), signature == null ? null : signature.toString(), committed);
    }
}
