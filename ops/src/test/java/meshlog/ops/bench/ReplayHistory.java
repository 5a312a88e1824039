package meshlog.ops.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.PinnedResource;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.configstore.event.ConfigEvent.RevisionPinned;
import meshlog.configstore.event.ConfigEvent.RevisionUnpinned;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.parse.ParsedResource;

/**
 * A long, realistic history of a config repository as the events git-sync and the pin writer record for it, made
 * without git or a compile per commit, so 100,000 commits take a minute rather than hours. {@code services}
 * services, one file each holding a ServiceEntry, a DestinationRule (two subsets) and a VirtualService (a canary
 * match, then a weighted split): the first commit adds them all; then edits of one to five services (split weight,
 * connection pool, endpoint addresses), services removed and added back, renames of a file (no object changes),
 * reverts to an earlier tree, rejected commits (a negative weight, fixed by the next commit), and now and then a pin
 * of an earlier commit, unpinned some commits later.
 *
 * <p>Each step's events are what {@code CommitPlanner} plans for the tree ({@code ReplayHistoryTest} checks this
 * against git-sync on a real repository): every object's document, file and line come from {@link ConfigCompiler}
 * compiling the service's whole file (compiled once per variant of each document), and a commit's events are its
 * tree compared with the last applied one, upserts then deletes in key order, then {@link CommitApplied}.
 */
public final class ReplayHistory {

    /** Weight of the v1 route; 9 values. A negative one is a rejected commit. */
    private static final int[] WEIGHTS = {90, 80, 70, 60, 50, 40, 30, 20, 10};
    private static final int[] MAX_CONNECTIONS = {100, 500, 2000};
    private static final int[] ENDPOINT_NETS = {1, 2, 3};

    /**
     * One step: a git commit ({@code files} are its changes: path → content, null for a file removed) whose
     * events git-sync writes, or a pin or unpin (no files) whose events the pin writer writes.
     */
    public record Step(CommitInfo info, Map<String, String> files, List<ConfigEvent> events, boolean pinWriter) {
    }

    /** A service as the tree has it: which variant of each document, in which directory, broken or not. */
    private record Service(int w, int c, int e, boolean moved, boolean broken) {
    }

    private final String repo;
    private final int services;
    private final Random random;
    private final Map<String, ParsedResource> compiled = new HashMap<>();
    private final Map<Integer, Service> tree = new TreeMap<>();
    private final TreeMap<ResourceKey, ParsedResource> applied = new TreeMap<>();
    /** Some applied commits and their trees, to revert and pin to. */
    private final List<Map.Entry<String, Map<Integer, Service>>> kept = new ArrayList<>();
    private String pinned;
    private int commits;
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

    private final int pinPerMille;
    private final int keepEvery;

    /**
     * @param pinPerMille the chance of a pin at a step while none is (per mille; a pin writes every object again)
     * @param keepEvery every how many commits one is kept as a target of later reverts and pins
     */
    public ReplayHistory(String repo, int services, long seed, int pinPerMille, int keepEvery) {
        this.repo = repo;
        this.services = services;
        this.random = new Random(seed);
        this.pinPerMille = pinPerMille;
        this.keepEvery = keepEvery;
        this.byVariant = newCache();
    }

    /** The next step of the history. */
    public Step next() {
        if (commits == 0) {
            for (int s = 0; s < services; s++) {
                tree.put(s, new Service(0, 0, 0, false, false));
            }
            return commit("import " + services + " services", Map.copyOf(files(allServices())));
        }
        Service brokenOne = tree.values().stream().filter(Service::broken).findFirst().orElse(null);
        if (brokenOne != null) {
            int s = serviceOf(brokenOne);
            tree.put(s, new Service(brokenOne.w(), brokenOne.c(), brokenOne.e(), brokenOne.moved(), false));
            return commit("fix the weight of svc-" + s, files(List.of(s)));
        }
        if (pinned == null && !kept.isEmpty() && random.nextInt(1000) < pinPerMille) {
            return pin(kept.get(random.nextInt(kept.size())).getKey());
        }
        int roll = random.nextInt(1000);
        if (pinned != null && random.nextInt(1000) < Math.max(8, 3 * pinPerMille)) {
            return unpin();
        }
        if (roll < 4 && !kept.isEmpty()) {
            Map<Integer, Service> earlier = kept.get(random.nextInt(kept.size())).getValue();
            List<Integer> touched = new ArrayList<>(tree.keySet());
            earlier.keySet().stream().filter(s -> !tree.containsKey(s)).forEach(touched::add);
            Map<String, String> removed = new HashMap<>();
            tree.forEach((s, v) -> removed.put(path(s, v.moved()), null));
            tree.clear();
            tree.putAll(earlier);
            Map<String, String> changes = new HashMap<>(removed);
            changes.putAll(files(tree.keySet()));
            return commit("revert to an earlier tree", changes);
        }
        if (roll < 40) {
            int s = present();
            Service v = tree.get(s);
            tree.put(s, new Service(v.w(), v.c(), v.e(), !v.moved(), false));
            Map<String, String> changes = new HashMap<>();
            changes.put(path(s, v.moved()), null);
            changes.putAll(files(List.of(s)));
            return commit("move svc-" + s, changes);
        }
        if (roll < 90) {
            int s = present();
            Service v = tree.get(s);
            tree.put(s, new Service(v.w(), v.c(), v.e(), v.moved(), true));
            return commit("shift svc-" + s, files(List.of(s)));
        }
        if (roll < 160 && tree.size() > services / 2) {
            int s = present();
            Service v = tree.remove(s);
            Map<String, String> changes = new HashMap<>();
            changes.put(path(s, v.moved()), null);
            return commit("remove svc-" + s, changes);
        }
        if (roll < 230 && tree.size() < services) {
            int s = absent();
            tree.put(s, new Service(random.nextInt(WEIGHTS.length), random.nextInt(3), random.nextInt(3), false,
                    false));
            return commit("add svc-" + s, files(List.of(s)));
        }
        int n = roll < 310 ? 2 + random.nextInt(4) : 1;
        List<Integer> edited = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int s = present();
            Service v = tree.get(s);
            tree.put(s, switch (random.nextInt(3)) {
                case 0 -> new Service(other(v.w(), WEIGHTS.length), v.c(), v.e(), v.moved(), false);
                case 1 -> new Service(v.w(), other(v.c(), 3), v.e(), v.moved(), false);
                default -> new Service(v.w(), v.c(), other(v.e(), 3), v.moved(), false);
            });
            edited.add(s);
        }
        return commit("tune " + edited.size() + " services", files(edited));
    }

    /** How many git commits so far. */
    public int commits() {
        return commits;
    }

    /** The documents of the last applied commit, by key (what the fold's {@code documents()} must equal). */
    public Map<ResourceKey, String> appliedDocuments() {
        Map<ResourceKey, String> out = new TreeMap<>();
        applied.forEach((k, p) -> out.put(k, p.json()));
        return out;
    }

    /** The commit pinned now, or null. */
    public String pinned() {
        return pinned;
    }

    /**
     * Writes {@code steps} with the real writers: git-sync's events through the repository's {@link KafkaEventLog}
     * ({@code perTransaction} commits in one transaction, to write a long history fast: every record is the one
     * git-sync writes, only more commits share a transaction), pins and unpins through the pin writer.
     */
    public static void write(KafkaEventLog gitSync, KafkaEventLog pins, Iterable<Step> steps, int perTransaction) {
        List<ConfigEvent> batch = new ArrayList<>();
        int inBatch = 0;
        for (Step s : steps) {
            if (s.pinWriter()) {
                gitSync.appendCommit(batch);
                batch.clear();
                inBatch = 0;
                pins.appendCommit(s.events());
                continue;
            }
            batch.addAll(s.events());
            if (++inBatch == perTransaction) {
                gitSync.appendCommit(batch);
                batch.clear();
                inBatch = 0;
            }
        }
        gitSync.appendCommit(batch);
    }

    private Step commit(String message, Map<String, String> changes) {
        int n = commits++;
        CommitInfo info = new CommitInfo(sha("commit " + n), "dev-" + (n % 7), "dev-" + (n % 7) + "@example.com",
                start.plusSeconds(60L * n), message + " (" + n + ")");
        Integer broken = tree.entrySet().stream().filter(e -> e.getValue().broken()).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        if (broken != null) {
            Service v = tree.get(broken);
            CompiledConfig bad = ConfigCompiler.compile(Map.of(path(broken, v.moved()),
                    content(broken, v).getBytes(StandardCharsets.UTF_8)));
            return new Step(info, changes, List.of(new CommitRejected(repo, info, bad.diagnostics())), false);
        }
        // Only the services whose file changed can differ from what is applied (a revert changes any of them).
        java.util.Set<Integer> touched = new java.util.HashSet<>();
        changes.keySet().forEach(path -> touched.add(serviceOfPath(path)));
        TreeMap<ResourceKey, ParsedResource> upserts = new TreeMap<>();
        java.util.TreeSet<ResourceKey> deletes = new java.util.TreeSet<>();
        for (int s : touched) {
            Service v = tree.get(s);
            if (v == null) {
                keys(s).stream().filter(applied::containsKey).forEach(deletes::add);
                continue;
            }
            for (ParsedResource p : resources(s, v)) {
                ParsedResource was = applied.get(p.resource().key());
                if (was == null || !p.json().equals(was.json())) {
                    upserts.put(p.resource().key(), p);
                }
            }
        }
        List<ConfigEvent> events = new ArrayList<>();
        List<ResourceKey> changed = new ArrayList<>();
        upserts.forEach((key, p) -> {
            events.add(new ResourceUpserted(repo, info.sha(), key, p.file(), p.line(), p.json()));
            changed.add(key);
        });
        for (ResourceKey key : deletes) {
            events.add(new ResourceDeleted(repo, info.sha(), key));
            changed.add(key);
        }
        events.add(new CommitApplied(repo, info, changed, List.of()));
        // The fold keeps an object's file and line from its last upsert: a rename alone changes neither.
        applied.putAll(upserts);
        deletes.forEach(applied::remove);
        if (n % keepEvery == 0) {
            this.kept.add(Map.entry(info.sha(), Map.copyOf(tree)));
            if (this.kept.size() > 50) {
                this.kept.remove(0);
            }
        }
        if (pinned != null && treeOfPin != null && treeOfPin.equals(appliedDocuments())) {
            pinned = null; // git has the pinned tree again: the fold ends the pin
            treeOfPin = null;
        }
        return new Step(info, changes, events, false);
    }

    private static int serviceOfPath(String path) {
        return Integer.parseInt(path.substring(path.lastIndexOf("svc-") + 4, path.length() - ".yaml".length()));
    }

    private static List<ResourceKey> keys(int s) {
        String ns = "team-" + (s % 10);
        return List.of(new ResourceKey("DestinationRule", ns, "svc-" + s),
                new ResourceKey("ServiceEntry", ns, "svc-" + s), new ResourceKey("VirtualService", ns, "svc-" + s));
    }

    private Map<ResourceKey, String> treeOfPin;

    private Step pin(String sha) {
        Map<Integer, Service> pinnedTree = kept.stream().filter(e -> e.getKey().equals(sha)).findFirst()
                .orElseThrow().getValue();
        List<ConfigEvent> events = new ArrayList<>();
        TreeMap<ResourceKey, ParsedResource> docs = new TreeMap<>();
        pinnedTree.forEach((s, v) -> resources(s, v).forEach(p -> docs.put(p.resource().key(), p)));
        treeOfPin = new TreeMap<>();
        docs.forEach((k, p) -> {
            events.add(new PinnedResource(repo, sha, k, p.file(), p.json()));
            treeOfPin.put(k, p.json());
        });
        Instant at = start.plusSeconds(60L * commits + 30);
        events.add(new RevisionPinned(repo, sha, "oncall", at, "rollback drill"));
        pinned = sha;
        return new Step(null, Map.of(), events, true);
    }

    private Step unpin() {
        Step s = new Step(null, Map.of(), List.of(new RevisionUnpinned(repo, pinned, "oncall",
                start.plusSeconds(60L * commits + 30))), true);
        pinned = null;
        treeOfPin = null;
        return s;
    }

    private int present() {
        List<Integer> ids = new ArrayList<>(tree.keySet());
        return ids.get(random.nextInt(ids.size()));
    }

    private int absent() {
        List<Integer> ids = new ArrayList<>();
        for (int s = 0; s < services; s++) {
            if (!tree.containsKey(s)) {
                ids.add(s);
            }
        }
        return ids.get(random.nextInt(ids.size()));
    }

    private int other(int value, int n) {
        return (value + 1 + random.nextInt(n - 1)) % n;
    }

    private int serviceOf(Service v) {
        return tree.entrySet().stream().filter(e -> e.getValue() == v).findFirst().orElseThrow().getKey();
    }

    private List<Integer> allServices() {
        return new ArrayList<>(tree.keySet());
    }

    private Map<String, String> files(Iterable<Integer> ids) {
        Map<String, String> out = new HashMap<>();
        for (int s : ids) {
            Service v = tree.get(s);
            out.put(path(s, v.moved()), content(s, v));
        }
        return out;
    }

    /** The three objects of a service as the compiler reads them from its file (cached per document variant). */
    private final Map<Service, List<ParsedResource>>[] byVariant;

    @SuppressWarnings("unchecked")
    private Map<Service, List<ParsedResource>>[] newCache() {
        Map<Service, List<ParsedResource>>[] cache = new Map[services];
        for (int i = 0; i < services; i++) {
            cache[i] = new HashMap<>();
        }
        return cache;
    }

    private List<ParsedResource> resources(int s, Service v) {
        return byVariant[s].computeIfAbsent(v, x -> compiledResources(s, x));
    }

    private List<ParsedResource> compiledResources(int s, Service v) {
        String file = path(s, v.moved());
        String se = file + " se " + v.e();
        String dr = file + " dr " + v.c();
        String vs = file + " vs " + v.w();
        if (!compiled.containsKey(se) || !compiled.containsKey(dr) || !compiled.containsKey(vs)) {
            CompiledConfig c = ConfigCompiler.compile(Map.of(file, content(s, v).getBytes(StandardCharsets.UTF_8)));
            if (c.hasErrors() || !c.warnings().isEmpty() || c.resources().size() != 3) {
                throw new IllegalStateException("generated file " + file + " does not compile cleanly: "
                        + c.diagnostics());
            }
            for (ParsedResource p : c.resources()) {
                String kind = p.resource().key().kind();
                compiled.put(kind.equals("ServiceEntry") ? se : kind.equals("DestinationRule") ? dr : vs, p);
            }
        }
        return List.of(compiled.get(se), compiled.get(dr), compiled.get(vs));
    }

    static String path(int s, boolean moved) {
        return (moved ? "moved/" : "services/") + "team-" + (s % 10) + "/svc-" + s + ".yaml";
    }

    /** The service's file; every variant has the same number of lines, so each object keeps its line. */
    static String content(int s, Service v) {
        String name = "svc-" + s;
        int w = v.broken() ? -5 : WEIGHTS[v.w()];
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %1$s, namespace: team-%2$d}
                spec:
                  hosts: [%1$s.team-%2$d.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  endpoints:
                  - {address: 10.%3$d.%4$d.1, labels: {version: v1}}
                  - {address: 10.%3$d.%4$d.2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: %1$s, namespace: team-%2$d}
                spec:
                  host: %1$s.team-%2$d.svc.cluster.local
                  trafficPolicy:
                    connectionPool: {tcp: {maxConnections: %5$d}}
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: %1$s, namespace: team-%2$d}
                spec:
                  hosts: [%1$s.team-%2$d.svc.cluster.local]
                  http:
                  - match: [{uri: {prefix: /api}, headers: {x-canary: {exact: "1"}}}]
                    route:
                    - destination: {host: %1$s.team-%2$d.svc.cluster.local, subset: v2}
                  - route:
                    - destination: {host: %1$s.team-%2$d.svc.cluster.local, subset: v1}
                      weight: %6$d
                    - destination: {host: %1$s.team-%2$d.svc.cluster.local, subset: v2}
                      weight: %7$d
                """.formatted(name, s % 10, ENDPOINT_NETS[v.e()], s % 250, MAX_CONNECTIONS[v.c()], w, 100 - w);
    }

    static String sha(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
