package meshlog.configstore.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.gatewayapi.ResourceKey;
import org.junit.jupiter.api.Test;

/**
 * The token-level decoder of the common events against databind, the reference: the same event for every record
 * of the checked-in schema-1 log and for random events whose strings hold what JSON must escape; for anything it
 * does not read it declines, and the codec's answer stays the databind path's.
 */
class StreamingEventDecoderTest {

    private static ConfigEvent streamed(String json) throws Exception {
        return StreamingEventDecoder.decode(EventCodec.json().getFactory(), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryCommonEventOfTheCheckedInLogAsDatabindDoes() throws Exception {
        int streamedCount = 0;
        for (String line : EventLogCompatibilityTest.schema1()) {
            ConfigEvent reference = EventCodec.decodeWithDatabind(line.getBytes(StandardCharsets.UTF_8));
            ConfigEvent fast = streamed(line);
            if (fast != null) {
                assertThat(fast).isEqualTo(reference);
                streamedCount++;
            }
            assertThat(EventCodec.decode(line.getBytes(StandardCharsets.UTF_8))).isEqualTo(reference);
        }
        // 5 upserts, 1 deletion, 3 of the 4 applied commits (one has a warning, left to databind)
        assertThat(streamedCount).isEqualTo(9);
    }

    @Test
    void readsRandomEventsAsDatabindDoes() throws Exception {
        Random random = new Random(8);
        List<ConfigEvent> events = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            ResourceKey key = new ResourceKey(text(random), text(random), text(random));
            String sha = Integer.toHexString(random.nextInt());
            events.add(switch (i % 3) {
                case 0 -> new ResourceUpserted("default", sha, key, text(random) + ".yaml", random.nextInt(5000),
                        "{\"spec\":{\"note\":\"" + text(random).replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}");
                case 1 -> new ResourceDeleted("default", sha, key);
                default -> new CommitApplied("default", new CommitInfo(sha, text(random), text(random),
                        Instant.ofEpochMilli(random.nextLong(4_000_000_000_000L)), text(random)),
                        List.of(key, new ResourceKey("Gateway", "ns", text(random))), List.of());
            });
        }
        for (ConfigEvent e : events) {
            String json = new String(EventCodec.encode(e), StandardCharsets.UTF_8);
            assertThat(streamed(json)).isEqualTo(EventCodec.decodeWithDatabind(json.getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(e);
        }
    }

    @Test
    void fieldsInAnotherOrderAndUnknownFieldsReadAsDatabindReadsThem() throws Exception {
        String json = "{\"key\":{\"name\":\"reviews\",\"kind\":\"VirtualService\",\"namespace\":\"default\","
                + "\"later\":[1,{\"a\":2}]},\"commit\":\"abc\",\"repo\":\"default\",\"addedLater\":{\"x\":[true]},"
                + "\"schemaVersion\":1,\"type\":\"ResourceDeleted\"}";

        assertThat(streamed(json)).isEqualTo(new ResourceDeleted("default", "abc",
                new ResourceKey("VirtualService", "default", "reviews")))
                .isEqualTo(EventCodec.decodeWithDatabind(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void declinesWhatItDoesNotReadAndTheCodecStillReadsIt() throws Exception {
        String warned = new String(EventCodec.encode(new CommitApplied("default", EventCodecTest.INFO,
                List.of(EventCodecTest.KEY), List.of(EventCodecTest.WARNING))), StandardCharsets.UTF_8);
        String lineAsText = "{\"type\":\"ResourceUpserted\",\"schemaVersion\":1,\"repo\":\"r\",\"commit\":\"c\","
                + "\"key\":{\"kind\":\"K\",\"namespace\":\"n\",\"name\":\"x\"},\"file\":\"f.yaml\",\"line\":\"7\","
                + "\"document\":\"{}\"}";

        assertThat(streamed(warned)).isNull();
        assertThat(streamed(lineAsText)).isNull();
        assertThat(EventCodec.decode(warned.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(EventCodec.decodeWithDatabind(warned.getBytes(StandardCharsets.UTF_8)));
        assertThat(((ResourceUpserted) EventCodec.decode(lineAsText.getBytes(StandardCharsets.UTF_8))).line())
                .isEqualTo(7); // databind's coercion of "7", as before this decoder
    }

    @Test
    void aNewerSchemaOrAnUnknownTypeIsLeftToTheCodecWhichNamesIt() throws Exception {
        String newer = "{\"type\":\"ResourceDeleted\",\"schemaVersion\":2,\"repo\":\"default\",\"commit\":\"abc\","
                + "\"key\":{\"kind\":\"K\",\"namespace\":\"n\",\"name\":\"x\"}}";
        String unknown = "{\"type\":\"ResourceMoved\",\"schemaVersion\":1,\"repo\":\"default\",\"commit\":\"abc\"}";

        assertThat(streamed(newer)).isNull();
        assertThat(streamed(unknown)).isNull();
        assertThatThrownBy(() -> EventCodec.decode(newer.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unreadable event: type=ResourceDeleted schemaVersion=2");
        assertThatThrownBy(() -> EventCodec.decode(unknown.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unreadable event: type=ResourceMoved schemaVersion=1");
    }

    @Test
    void malformedJsonIsAnUnreadableEventWithItsLocation() {
        String cut = "{\"type\":\"ResourceDeleted\",\"schemaVersion\":1,\"repo\":\"default\",\"commit\":\"ab";
        String broken = "{\"type\":\"ResourceDeleted\",\"schemaVersion\":1,\"repo\" \"default\"}";

        assertThatThrownBy(() -> EventCodec.decode(cut.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unreadable event: Unexpected end-of-input");
        assertThatThrownBy(() -> EventCodec.decode(broken.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unreadable event: Unexpected character")
                .hasMessageContaining("line: 1, column: 52");
    }

    /** Up to 12 characters, some of them ones JSON escapes (quote, backslash, controls) or encodes as several bytes. */
    private static String text(Random random) {
        String alphabet = "abcXYZ09-./ \"\\\n\t\u0001é\u4e2d\ud83d\ude00";
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(12);
        while (sb.length() < n) {
            int i = random.nextInt(alphabet.length() - 1);
            char c = alphabet.charAt(i);
            if (Character.isHighSurrogate(c)) {
                sb.append(c).append(alphabet.charAt(i + 1));
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
