package meshlog.configstore.snapshot;

import static meshlog.configstore.snapshot.Snapshots.CLUSTER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.LISTENER_TYPE;
import static meshlog.configstore.snapshot.Snapshots.bytes;
import static meshlog.configstore.snapshot.Snapshots.concat;
import static meshlog.configstore.snapshot.Snapshots.contents;
import static meshlog.configstore.snapshot.Snapshots.first;
import static meshlog.configstore.snapshot.Snapshots.publish;
import static meshlog.configstore.snapshot.Snapshots.scoped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SnapshotAssemblerTest {

    private static final String REVIEWS = "outbound|8080|v1|reviews.default.svc.cluster.local";

    private final SnapshotAssembler assembler = new SnapshotAssembler();

    private final ScopeSnapshot a1 = scoped("east", "a", "c1", CLUSTER_TYPE, REVIEWS, "cluster-v1",
            LISTENER_TYPE, "reviews:8080", "listener");
    private final ScopeSnapshot b1 = scoped("east", "b", "c1", CLUSTER_TYPE, REVIEWS, "cluster-v1",
            LISTENER_TYPE, "reviews:8080", "listener-b");
    private final ScopeSnapshot a2 = scoped("east", "a", "c2", CLUSTER_TYPE, REVIEWS, "cluster-v2");

    @Test
    void assemblesEachScopeWhenItsPointerArrives_sharingTheBlobs() {
        List<ScopeSnapshot> out = feed(first(a1, b1));

        assertThat(out).extracting(ScopeSnapshot::scope).containsExactly("a", "b");
        assertThat(contents(out.get(0))).isEqualTo(contents(a1));
        assertThat(out.get(0).version()).isEqualTo(a1.version());
        assertThat(out.get(0).commit()).isEqualTo("c1");
        assertThat(contents(out.get(1))).isEqualTo(contents(b1));
        assertThat(out.get(0).resources().get(CLUSTER_TYPE).get(REVIEWS))
                .isSameAs(out.get(1).resources().get(CLUSTER_TYPE).get(REVIEWS)); // held once
    }

    @Test
    void appliesChangesWithdrawalsAndTombstones() {
        List<SnapshotRecord> records = first(a1, b1);
        feed(records);
        SnapshotHoldings held = assembler.holdings("east");

        List<ScopeSnapshot> out = feed(publish(held, a2));

        assertThat(out).singleElement().satisfies(s -> assertThat(contents(s)).isEqualTo(contents(a2)));
        SnapshotHoldings after = assembler.holdings("east");
        assertThat(after.pointers()).containsOnlyKeys("a");
        assertThat(after.blobs()).hasSize(2); // cluster-v2 and a2's body
    }

    @Test
    void aPointerBeforeItsBlobsWaitsForTheLastOne() {
        List<SnapshotRecord> records = first(a1); // listener, cluster, body, pointer
        assertThat(feed(List.of(records.get(3), records.get(2), records.get(0)))).isEmpty();

        assertThat(feed(List.of(records.get(1)))).singleElement()
                .satisfies(s -> assertThat(contents(s)).isEqualTo(contents(a1)));
    }

    @Test
    void aBlobCanCompleteSeveralScopes() {
        List<SnapshotRecord> records = first(a1, b1);
        SnapshotRecord shared = records.get(0);
        assertThat(feed(records.subList(1, records.size()))).isEmpty();

        assertThat(feed(List.of(shared))).extracting(ScopeSnapshot::scope).containsExactly("a", "b");
    }

    @Test
    void aNewerPointerReplacesAPendingOne() {
        List<SnapshotRecord> v1 = first(a1);
        List<SnapshotRecord> v2 = first(a2);
        feed(v1.subList(2, 4)); // a1's body and pointer, not its resources
        feed(v2.subList(1, 3)); // a2's body and pointer

        assertThat(feed(v2.subList(0, 1))).singleElement().satisfies(s ->
                assertThat(s.version()).isEqualTo(a2.version()));
        assertThat(feed(v1.subList(0, 2))).isEmpty(); // a1's pointer is no longer pending
    }

    @Test
    void aPointerTombstoneWithdrawsTheScopeAndAChunkTombstoneItsBlob() {
        List<SnapshotRecord> records = first(a1);
        feed(records);

        assertThat(assembler.accept("east/a/_manifest", null)).isEmpty();
        assertThat(assembler.holdings("east").pointers()).isEmpty();
        records.subList(0, 3).forEach(r -> assembler.accept(r.key(), null));
        assertThat(assembler.holdings("east")).isEqualTo(SnapshotHoldings.empty("east"));
        assertThat(assembler.clusters()).isEmpty();
    }

    @Test
    void aPendingScopeLosingABlobWaitsForItAgain() {
        List<SnapshotRecord> records = first(a1);
        feed(List.of(records.get(0), records.get(2)));
        assembler.accept(records.get(0).key(), null);
        assertThat(feed(List.of(records.get(3), records.get(1)))).isEmpty();

        assertThat(feed(List.of(records.get(0)))).hasSize(1);
    }

    @Test
    void aMultiChunkBlobAssemblesInAnyChunkOrder() {
        byte[] big = new byte[3 * Blobs.CHUNK + 17];
        new Random(7).nextBytes(big);
        ScopeSnapshot s = new ScopeSnapshot("east", "grpc", "v", "c", Map.of(CLUSTER_TYPE, Map.of("big", big)));
        List<SnapshotRecord> records = new ArrayList<>(first(s));
        Collections.reverse(records);

        List<ScopeSnapshot> out = feed(records);

        assertThat(out).singleElement().satisfies(got ->
                assertThat(got.resources().get(CLUSTER_TYPE).get("big")).isEqualTo(big));
    }

    /**
     * The transaction that withdraws b, changes a and adds c, fed in random orders: after every record (every
     * prefix of every order) what is returned is a published snapshot in full, never a mix.
     */
    @Test
    void neverReturnsAPartialSnapshotWhateverTheOrderOfATransactionPrefix() {
        byte[] big = new byte[Blobs.CHUNK + 100];
        new Random(3).nextBytes(big);
        ScopeSnapshot a3 = new ScopeSnapshot("east", "a", "v-a3", "c3", Map.of(CLUSTER_TYPE,
                Map.of(REVIEWS, bytes("cluster-v3"), "big", big), LISTENER_TYPE, Map.of("reviews:8080",
                        bytes("listener"))));
        ScopeSnapshot c3 = scoped("east", "c", "c3", CLUSTER_TYPE, REVIEWS, "cluster-v3", CLUSTER_TYPE, "x", "x");
        SnapshotAssembler base = new SnapshotAssembler();
        List<SnapshotRecord> before = first(a1, b1);
        before.forEach(r -> base.accept(r.key(), r.value()));
        List<SnapshotRecord> transaction = publish(base.holdings("east"), a3, c3);
        assertThat(transaction).hasSizeGreaterThan(8);
        Map<String, ScopeSnapshot> published = new TreeMap<>();
        for (ScopeSnapshot s : List.of(a1, b1, a3, c3)) {
            published.put(s.scope() + "@" + s.version(), s);
        }

        Random random = new Random(42);
        for (int run = 0; run < 300; run++) {
            List<SnapshotRecord> order = new ArrayList<>(transaction);
            Collections.shuffle(order, random);
            SnapshotAssembler reader = new SnapshotAssembler();
            before.forEach(r -> reader.accept(r.key(), r.value()));
            for (SnapshotRecord r : order) {
                for (ScopeSnapshot got : reader.accept(r.key(), r.value())) {
                    ScopeSnapshot expected = published.get(got.scope() + "@" + got.version());
                    assertThat(expected).as("run %d: %s@%s", run, got.scope(), got.version()).isNotNull();
                    assertThat(got.resources().keySet()).isEqualTo(expected.resources().keySet());
                    expected.resources().forEach((type, byName) -> {
                        assertThat(got.resources().get(type).keySet()).isEqualTo(byName.keySet());
                        byName.forEach((name, b) -> assertThat(got.resources().get(type).get(name)).isEqualTo(b));
                    });
                }
            }
            assertThat(reader.holdings("east")).as("run %d", run)
                    .isEqualTo(SnapshotDiff.between(base.holdings("east"), "east", List.of(a3, c3)).after());
        }
    }

    @Test
    void clustersAreIndependentAndFiltered() {
        SnapshotAssembler westOnly = new SnapshotAssembler("west"::equals);
        ScopeSnapshot west = scoped("west", "grpc", "c1", CLUSTER_TYPE, "a", "wa");
        List<ScopeSnapshot> out = new ArrayList<>();
        for (SnapshotRecord r : concat(first(a1), first(west))) {
            out.addAll(westOnly.accept(r.key(), r.value()));
        }

        assertThat(out).extracting(ScopeSnapshot::cluster).containsExactly("west");
        assertThat(westOnly.holdings("east")).isEqualTo(SnapshotHoldings.empty("east"));
    }

    @Test
    void refusesHostileRecordsWithoutChangingState() {
        feed(first(a1));
        SnapshotHoldings held = assembler.holdings("east");
        String h = "ab".repeat(32);
        String pointer = "{\"schemaVersion\":2,\"cluster\":\"east\",\"scope\":\"a\",\"version\":\"v\",\"commit\":null,"
                + "\"manifest\":\"" + h + "\",\"size\":%d}";

        assertThatThrownBy(() -> assembler.accept("east/a/_manifest", bytes(pointer.formatted(1L << 40))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 268435456 bytes");
        assertThatThrownBy(() -> assembler.accept("east/_blob/" + h + "/0/1025", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 1024 chunks");
        assertThatThrownBy(() -> assembler.accept("east/_blob/" + h + "/0/1", new byte[Blobs.CHUNK + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> assembler.accept("east/_blob/" + h + "/0/2", new byte[5]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> assembler.accept("west/a/_manifest", bytes(pointer.formatted(10))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("under key");
        assertThatThrownBy(() -> assembler.accept("east/a/_manifest", bytes("{")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> assembler.accept("nokey", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(assembler.holdings("east")).isEqualTo(held);
    }

    @Test
    void aBodyThatIsNoManifestOrNotThePointersIsNeverServed() {
        byte[] junk = bytes("not json");
        String junkHash = ScopeSnapshot.hash(junk);
        assembler.accept("east/_blob/" + junkHash + "/0/1", junk);
        ScopePointer p = new ScopePointer("east", "a", "v", null, junkHash, junk.length);

        assertThatThrownBy(() -> assembler.accept("east/a/_manifest", p.encode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scope a of cluster east");
        assertThat(assembler.holdings("east").pointers().get("a").version()).isEmpty(); // a publisher replaces it

        byte[] otherBody = SnapshotManifest.of(b1).encode();
        assembler.accept("east/_blob/" + ScopeSnapshot.hash(otherBody) + "/0/1", otherBody);
        ScopePointer lying = new ScopePointer("east", "a", b1.version(), "c1", ScopeSnapshot.hash(otherBody),
                otherBody.length);
        assertThatThrownBy(() -> assembler.accept("east/a/_manifest", lying.encode()))
                .hasMessageContaining("another scope or version");
    }

    @Test
    void aChunkThatDoesNotHashToItsNameCompletesNothing() {
        List<SnapshotRecord> records = first(a1);
        SnapshotRecord cluster = records.get(0);
        feed(records.subList(1, 4));

        assertThat(assembler.accept(cluster.key(), bytes("forged"))).isEmpty();
        assertThat(assembler.holdings("east").holds(cluster.key().split("/")[2])).isFalse();
        assertThat(assembler.accept(cluster.key(), cluster.value())).hasSize(1);
    }

    private List<ScopeSnapshot> feed(List<SnapshotRecord> records) {
        List<ScopeSnapshot> out = new ArrayList<>();
        records.forEach(r -> out.addAll(assembler.accept(r.key(), r.value())));
        return out;
    }
}
