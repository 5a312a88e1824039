package meshlog.configstore.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.Diagnostic.Severity;
import meshlog.gatewayapi.ResourceKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    static final CommitInfo INFO = new CommitInfo("0123456789abcdef", "Ada", "ada@example.com",
            Instant.parse("2026-11-25T10:15:30Z"), "route reviews to v2");
    static final ResourceKey KEY = new ResourceKey("VirtualService", "default", "reviews");
    static final Diagnostic WARNING = new Diagnostic("VS0201", Severity.WARNING, "routes/reviews.yaml", 12, 7,
            "VirtualService default/reviews", "spec.http[0].timeout", "not implemented yet; ignored");

    static List<ConfigEvent> everyType() {
        return List.of(
                new ResourceUpserted("repo", INFO.sha(), KEY, "routes/reviews.yaml", 3, "{\"kind\":\"VirtualService\"}"),
                new ResourceDeleted("repo", INFO.sha(), KEY),
                new CommitApplied("repo", INFO, List.of(KEY), List.of(WARNING)),
                new CommitRejected("repo", INFO, List.of(new Diagnostic("VS0104", Severity.ERROR,
                        "routes/reviews.yaml", 12, 7, "VirtualService default/reviews",
                        "spec.http[0].route[1].weight", "must be >= 0"))),
                new ConfigEvent.BranchRewritten("repo", INFO.sha(), "fedcba9876543210", "main"),
                new ConfigEvent.PinnedResource("repo", INFO.sha(), KEY, "routes/reviews.yaml",
                        "{\"kind\":\"VirtualService\"}"),
                new ConfigEvent.RevisionPinned("repo", INFO.sha(), "ada", Instant.parse("2026-12-06T10:00:00Z"),
                        "incident 42"),
                new ConfigEvent.RevisionUnpinned("repo", INFO.sha(), "ada", Instant.parse("2026-12-06T11:00:00Z")));
    }

    /**
     * The guard on every dispatch over events: a new permitted type fails here until it has a sample, and then
     * {@link #theFoldHandlesEveryEventType} fails until {@code ConfigState.Folder.apply} has its branch (that
     * dispatch, like the audit trail's, ends with {@code throw new AssertionError}).
     */
    @Test
    void everyPermittedEventTypeHasASample() {
        // UnreadableEvent is a reader's note, never written: UnreadableEventsTest (ops) covers it on a real log.
        assertThat(everyType().stream().map(Object::getClass).distinct())
                .containsExactlyInAnyOrder(java.util.Arrays.stream(ConfigEvent.class.getPermittedSubclasses())
                        .filter(c -> c != ConfigEvent.UnreadableEvent.class).toArray(Class[]::new));
    }

    @org.junit.jupiter.api.Test
    void aRecordOfANewerSchemaDecodesToANoteOnlyWhenANoteIsAskedFor() {
        byte[] newer = "{\"type\":\"CommitApplied\",\"schemaVersion\":2,\"repo\":\"r\",\"info\":{\"sha\":\"ab12\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventCodec.decode(newer))
                .isInstanceOf(IllegalArgumentException.class);
        ConfigEvent.UnreadableEvent note = (ConfigEvent.UnreadableEvent) EventCodec.decodeOrNote("r", newer);
        assertThat(note.type()).isEqualTo("CommitApplied");
        assertThat(note.schemaVersion()).isEqualTo(2);
        assertThat(note.commit()).isEqualTo("ab12");
        assertThat(note.repo()).isEqualTo("r");
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void theFoldHandlesEveryEventType(ConfigEvent event) {
        meshlog.configstore.state.ConfigState.Folder folder =
                new meshlog.configstore.state.ConfigState.Folder(meshlog.configstore.state.ConfigState.EMPTY);

        folder.apply(event); // a type without a branch throws AssertionError

        assertThat(folder.state()).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void roundTripsEveryEventType(ConfigEvent event) {
        byte[] bytes = EventCodec.encode(event);

        assertThat(EventCodec.decode(bytes)).isEqualTo(event);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"type\":\"" + event.getClass().getSimpleName() + "\"")
                .contains("\"schemaVersion\":1");
    }

    @Test
    void refusesAnUnknownTypeAndANewerSchema() {
        byte[] unknown = "{\"type\":\"Nope\",\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] newer = "{\"type\":\"ResourceDeleted\",\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventCodec.decode(unknown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type=Nope");
        assertThatThrownBy(() -> EventCodec.decode(newer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schemaVersion=2");
        assertThatThrownBy(() -> EventCodec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
