package meshlog.configstore.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.parse.ConfigParser;
import meshlog.gatewayapi.parse.ParsedResource;
import org.junit.jupiter.api.Test;

class ConfigStateTest {

    private static final String REPO = "mesh-config";

    @Test
    void anAppliedCommitServesItsResources() {
        ResourceUpserted upsert = upsert("c1", "ratings", "ratings.example.com");

        ConfigState pendingOnly = ConfigState.EMPTY.apply(upsert);
        ConfigState applied = pendingOnly.apply(applied("c1", upsert.key()));

        assertThat(pendingOnly.resources()).isEmpty();
        assertThat(pendingOnly.atCommitBoundary()).isFalse();
        assertThat(applied.atCommitBoundary()).isTrue();
        assertThat(applied.lastProcessed()).isEqualTo("c1");
        assertThat(applied.lastApplied().sha()).isEqualTo("c1");
        assertThat(applied.all(ServiceEntry.class)).singleElement()
                .satisfies(se -> assertThat(se.hosts()).containsExactly("ratings.example.com"));
    }

    @Test
    void aPinServesItsRevisionWhileLaterCommitsAreAppliedUnderneathUntilUnpinned() {
        ResourceUpserted v1 = upsert("c1", "ratings", "v1.example.com");
        ResourceUpserted v2 = upsert("c2", "ratings", "v2.example.com");
        ResourceUpserted v3 = upsert("c3", "ratings", "v3.example.com");
        ConfigState.Folder f = new ConfigState.Folder(ConfigState.EMPTY);
        List.of(v1, applied("c1", v1.key()), v2, applied("c2", v2.key())).forEach(f::apply);

        f.apply(new ConfigEvent.PinnedResource(REPO, "c1", v1.key(), v1.file(), v1.document()));
        assertThat(f.atCommitBoundary()).as("a pin being read").isFalse();
        f.apply(new ConfigEvent.RevisionPinned(REPO, "c1", "ada", Instant.EPOCH, "incident"));
        f.apply(v3);
        f.apply(applied("c3", v3.key()));
        ConfigState pinned = f.state();

        assertThat(pinned.all(ServiceEntry.class)).singleElement()
                .satisfies(se -> assertThat(se.hosts()).containsExactly("v1.example.com"));
        assertThat(pinned.servedCommit()).isEqualTo("c1");
        assertThat(pinned.lastApplied().sha()).isEqualTo("c3");
        assertThat(pinned.documents().get(v3.key())).isEqualTo(v3.document());
        assertThat(new ConfigState.Folder(pinned).state()).as("a folder resumes a pinned state").isEqualTo(pinned);

        f.apply(new ConfigEvent.RevisionUnpinned(REPO, "c1", "ada", Instant.EPOCH));
        assertThat(f.state().all(ServiceEntry.class)).singleElement()
                .satisfies(se -> assertThat(se.hosts()).containsExactly("v3.example.com"));
        assertThat(f.state().servedCommit()).isEqualTo("c3");

        f.apply(new ConfigEvent.PinnedResource(REPO, "c1", v1.key(), v1.file(), v1.document()));
        f.apply(new ConfigEvent.RevisionPinned(REPO, "c1", "ada", Instant.EPOCH, "again"));
        ResourceUpserted back = upsert("c4", "ratings", "v1.example.com");
        f.apply(back);
        f.apply(applied("c4", back.key()));
        assertThat(f.state().pin()).as("git has the pinned tree again").isNull();
    }

    @Test
    void aRejectedCommitKeepsTheServedState() {
        ResourceUpserted upsert = upsert("c1", "ratings", "ratings.example.com");
        ConfigState good = ConfigState.replay(List.of(upsert, applied("c1", upsert.key())));
        CommitRejected rejected = new CommitRejected(REPO, info("c2"), List.of(new Diagnostic("VS0104",
                Diagnostic.Severity.ERROR, "routes/bad.yaml", 3, 5, "", "spec", "broken")));

        ConfigState after = good.apply(rejected);

        assertThat(after.resources()).isEqualTo(good.resources());
        assertThat(after.lastApplied().sha()).isEqualTo("c1");
        assertThat(after.lastProcessed()).isEqualTo("c2");
        assertThat(after.lastRejected()).isEqualTo(rejected);
    }

    @Test
    void theWarningsOfTheLastAppliedCommitAreKeptUntilTheNextAppliedCommit() {
        ResourceUpserted upsert = upsert("c1", "ratings", "ratings.example.com");
        Diagnostic notEnforced = new Diagnostic("ML0012", Diagnostic.Severity.WARNING, "policy.yaml", 1, 1,
                "AuthorizationPolicy demo/deny", "", "this policy is NOT enforced");
        ConfigState warned = ConfigState.replay(List.of(upsert,
                new CommitApplied(REPO, info("c1"), List.of(upsert.key()), List.of(notEnforced))));
        CommitRejected rejected = new CommitRejected(REPO, info("c2"), List.of());

        assertThat(warned.lastAppliedWarnings()).containsExactly(notEnforced);
        assertThat(warned.apply(rejected).lastAppliedWarnings()).as("a rejection changes nothing applied")
                .containsExactly(notEnforced);
        assertThat(warned.apply(applied("c3")).lastAppliedWarnings()).isEmpty();
    }

    @Test
    void aDeleteRemovesTheResourceAtItsCommit() {
        ResourceUpserted a = upsert("c1", "ratings", "ratings.example.com");
        ResourceUpserted b = upsert("c1", "details", "details.example.com");
        List<ConfigEvent> log = List.of(a, b, applied("c1", a.key(), b.key()),
                new ResourceDeleted(REPO, "c2", a.key()), applied("c2", a.key()));

        ConfigState s = ConfigState.replay(log);

        assertThat(s.resources().keySet()).containsExactly(b.key());
        assertThat(s.lastProcessed()).isEqualTo("c2");
        assertThat(ConfigState.replay(log.subList(0, 4)).resources().keySet()).containsExactly(b.key(), a.key());
    }

    @Test
    void aFoldersEventsFoldToItsStateAtEveryCommitBoundary() {
        ResourceUpserted a = upsert("c1", "ratings", "ratings.example.com");
        ResourceUpserted b = upsert("c1", "details", "details.example.com");
        ResourceUpserted a2 = upsert("c3", "ratings", "v2.example.com");
        Diagnostic warning = new Diagnostic("ML0012", Diagnostic.Severity.WARNING, "policy.yaml", 1, 1,
                "AuthorizationPolicy demo/deny", "", "this policy is NOT enforced");
        List<ConfigEvent> log = List.of(
                new CommitRejected(REPO, info("c0"), List.of()),
                a, b, new CommitApplied(REPO, info("c1"), List.of(a.key(), b.key()), List.of(warning)),
                new CommitRejected(REPO, info("c2"), List.of()),
                new ConfigEvent.PinnedResource(REPO, "c1", a.key(), a.file(), a.document()),
                new ConfigEvent.RevisionPinned(REPO, "c1", "ada", Instant.EPOCH, "incident"),
                a2, new ResourceDeleted(REPO, "c3", b.key()), applied("c3", a2.key(), b.key()),
                new CommitRejected(REPO, info("c4"), List.of()),
                new ConfigEvent.RevisionUnpinned(REPO, "c1", "ada", Instant.EPOCH));
        ConfigState.Folder f = new ConfigState.Folder(ConfigState.EMPTY);
        int checked = 0;
        for (ConfigEvent e : log) {
            f.apply(e);
            if (f.atCommitBoundary()) {
                ConfigState state = f.state();
                assertThat(ConfigState.replay(f.asEvents(REPO))).as("after %s", e).isEqualTo(state);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(7);
    }

    @Test
    void aFolderInTheMiddleOfACommitHasNoEvents() {
        ConfigState.Folder f = new ConfigState.Folder(ConfigState.EMPTY);
        f.apply(upsert("c1", "ratings", "ratings.example.com"));

        assertThatThrownBy(() -> f.asEvents(REPO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("middle of a commit");
    }

    private static ResourceUpserted upsert(String commit, String name, String host) {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: %s
                  namespace: default
                spec:
                  hosts: [%s]
                  ports:
                  - number: 80
                    name: http
                    protocol: HTTP
                  resolution: DNS
                """.formatted(name, host);
        var parsed = ConfigParser.parseYaml("services/" + name + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.diagnostics()).isEmpty();
        ParsedResource r = parsed.resources().get(0);
        return new ResourceUpserted(REPO, commit, r.resource().key(), r.file(), r.line(), r.json());
    }

    private static CommitApplied applied(String sha, ResourceKey... changed) {
        return new CommitApplied(REPO, info(sha), List.of(changed), List.of());
    }

    private static CommitInfo info(String sha) {
        return new CommitInfo(sha, "Ada", "ada@example.com", Instant.parse("2026-11-25T10:00:00Z"), "change");
    }
}
