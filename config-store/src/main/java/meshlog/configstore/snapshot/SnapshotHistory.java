package meshlog.configstore.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshlog.configstore.kafka.TopicReader;
import meshlog.configstore.kafka.Topics;

/**
 * Reads what clusters were published, back to the first publication: the {@link SnapshotPublished} records of
 * {@code meshlog.publications} and, by hash, the manifests and resources they name from
 * {@code meshlog.snapshot-history}. Readers only; the {@link SnapshotPublisher} writes both, in the transaction of
 * the publication itself.
 */
public final class SnapshotHistory {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    /** One publication as it sits in the topic. */
    public record Logged(long offset, Instant recorded, SnapshotPublished publication) {
    }

    /** A scope's resources as published: by type URL, then name, the resource's bytes; null where a blob is lost. */
    public record Served(SnapshotManifest manifest, Map<String, Map<String, byte[]>> resources, List<String> missing) {
    }

    private SnapshotHistory() {
    }

    /** Every publication, in order; a record this version cannot read is left out and counted in {@code unreadable}. */
    public static List<Logged> publications(String bootstrap, List<String> unreadable) {
        List<Logged> out = new ArrayList<>();
        if (!exists(bootstrap, Topics.PUBLICATIONS)) {
            unreadable.add("this log has no " + Topics.PUBLICATIONS + " topic (written before publications were"
                    + " recorded; meshlog up creates it)");
            return out;
        }
        TopicReader.readToEnd(bootstrap, Topics.PUBLICATIONS, "meshlog-publications-reader", READ_TIMEOUT, r -> {
            try {
                out.add(new Logged(r.offset(), Instant.ofEpochMilli(r.timestamp()),
                        SnapshotPublished.decode(r.value())));
            } catch (IllegalArgumentException e) {
                unreadable.add("offset " + r.offset() + ": " + e.getMessage());
            }
        });
        return out;
    }

    /** The blobs of {@code cluster} with these hashes, whole and verified; a hash not found is absent. */
    public static Map<String, byte[]> blobs(String bootstrap, String cluster, Set<String> hashes) {
        Map<String, ChunkedBlob> held = new HashMap<>();
        if (!exists(bootstrap, Topics.SNAPSHOT_HISTORY)) {
            return Map.of();
        }
        TopicReader.readToEnd(bootstrap, Topics.SNAPSHOT_HISTORY, "meshlog-snapshot-history-reader", READ_TIMEOUT,
                r -> {
                    if (r.key() == null || r.value() == null) {
                        return;
                    }
                    SnapshotKey key;
                    try {
                        key = SnapshotKey.parse(r.key());
                    } catch (IllegalArgumentException e) {
                        return; // not a chunk of ours
                    }
                    if (key instanceof SnapshotKey.Blob b && b.cluster().equals(cluster) && hashes.contains(b.hash())
                            && r.value().length <= Blobs.CHUNK) {
                        held.computeIfAbsent(b.hash(), h -> new ChunkedBlob(h, b.count())).put(b.index(), r.value());
                    }
                });
        Map<String, byte[]> out = new TreeMap<>();
        held.forEach((hash, blob) -> {
            if (blob.complete()) {
                out.put(hash, blob.bytes());
            }
        });
        return out;
    }

    private static boolean exists(String bootstrap, String topic) {
        try (var consumer = meshlog.configstore.kafka.KafkaClients.committedReader(bootstrap,
                "meshlog-history-probe")) {
            return !consumer.partitionsFor(topic).isEmpty();
        }
    }

    /** What one scope of a publication served: its manifest and every resource it lists. */
    public static Served served(String bootstrap, String cluster, SnapshotPublished.Scope scope) {
        Map<String, byte[]> manifestBlob = blobs(bootstrap, cluster, Set.of(scope.manifest()));
        if (!manifestBlob.containsKey(scope.manifest())) {
            return new Served(null, Map.of(), List.of(scope.manifest()));
        }
        SnapshotManifest manifest = SnapshotManifest.decode(manifestBlob.get(scope.manifest()));
        Set<String> wanted = new java.util.HashSet<>();
        manifest.resources().values().forEach(byName -> wanted.addAll(byName.values()));
        Map<String, byte[]> found = blobs(bootstrap, cluster, wanted);
        Map<String, Map<String, byte[]>> resources = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        manifest.resources().forEach((type, byName) -> byName.forEach((name, hash) -> {
            if (found.containsKey(hash)) {
                resources.computeIfAbsent(type, t -> new TreeMap<>()).put(name, found.get(hash));
            } else {
                missing.add(type + " " + name + " " + hash);
            }
        }));
        return new Served(manifest, resources, missing);
    }
}
