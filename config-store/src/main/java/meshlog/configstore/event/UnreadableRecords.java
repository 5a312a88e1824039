package meshlog.configstore.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import meshlog.configstore.LogSafe;

/**
 * What can be said of a record this meshlog cannot read, without trusting it: its type, schema version and commit
 * when it is JSON that has them, each cut and escaped (the record came from a newer meshlog or was damaged, and is
 * shown to a user as it is), and the hash of its bytes.
 */
final class UnreadableRecords {

    private static final int MAX_SHOWN = 80;

    private UnreadableRecords() {
    }

    static ConfigEvent.UnreadableEvent note(ObjectMapper json, String repo, byte[] bytes, String reason) {
        String type = null;
        int version = -1;
        String commit = null;
        try {
            JsonNode node = json.readTree(bytes);
            if (node != null && node.isObject()) {
                type = text(node.get("type"));
                version = node.path("schemaVersion").canConvertToInt() ? node.path("schemaVersion").asInt() : -1;
                commit = text(node.has("commit") ? node.get("commit") : node.path("info").get("sha"));
            }
        } catch (java.io.IOException e) {
            // not JSON at all: the hash and the reason are all there is to show
        }
        return new ConfigEvent.UnreadableEvent(repo, commit, type, version,
                LogSafe.value(reason == null ? "unreadable" : reason, MAX_SHOWN * 2), sha256(bytes));
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? LogSafe.value(n.asText(), MAX_SHOWN) : null;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
