package meshlog.ops;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.EventCodec;
import meshlog.configstore.kafka.KafkaClients;
import meshlog.configstore.kafka.KafkaEventLog;
import meshlog.configstore.kafka.LoggedEvent;
import meshlog.configstore.kafka.Topics;
import meshlog.configstore.state.ConfigState;
import org.apache.kafka.clients.admin.Admin;

/**
 * Checkpoints of the fold of {@code meshlog.config-events}, so {@code state --at} on a long log reads a stretch of
 * it instead of all of it. Derived data, kept as files (not in Kafka: a reader with read-only credentials can keep
 * them, and deleting the directory only costs the next call a full read, which writes them again).
 *
 * <p>Every {@code interval} events (at the first commit boundary after), a reader that folds the log writes two
 * files named by the offset {@code O} of the event the state follows: {@code O.index} (offset, time and closed
 * commit, applied or rejected, of every event since the previous checkpoint: what resolving a sha or a time needs) and {@code O.state.gz}
 * (the folded state as events in the log's own format, {@link ConfigState.Folder#asEvents}). Both start with a
 * header naming the format, the topic's id, the repository, the offset, the previous checkpoint's offset, the digest
 * of the event at {@code O} and the digest of the body. A checkpoint is used only when all of these agree with the
 * log and with its own body (the event at {@code O} is read back and compared on every use; an index file's own
 * body is checked by a CRC32C, which every {@code state --at} computes over megabytes of index, where SHA-256 cost
 * a fresh JVM a fifth of a second), else it is deleted
 * with every later one, and the stretch is folded from the log again. Checkpoints live under
 * {@code <topic id>/<repo>/}: a recreated topic has a new id, so another log's checkpoints are never seen.
 */
final class StateCheckpoints {

    /**
     * 2: an index file's own body is checked by CRC32C, not SHA-256, and a closing entry says whether its commit
     * was applied (format 1's are rebuilt once).
     */
    static final int FORMAT = 2;
    static final int DEFAULT_INTERVAL = 10_000;
    private static final String MAGIC = "meshlog-checkpoint";

    /** The config at a point of the log, and how it was found. */
    record Answer(ConfigState state, LogPoint.Resolved point, long readEvents, Long fromCheckpoint) {
    }

    /** One checkpoint's header. */
    private record Header(long offset, long previous, String eventDigest, String bodyDigest) {
    }

    private final String bootstrap;
    private final String repo;
    private final Path dir;
    private final int interval;
    private final TreeMap<Long, Header> checkpoints = new TreeMap<>();
    private final List<LogPoint.Entry> index = new ArrayList<>();
    private long readEvents;

    private StateCheckpoints(String bootstrap, String repo, Path dir, int interval) {
        this.bootstrap = bootstrap;
        this.repo = repo;
        this.dir = dir;
        this.interval = interval;
    }

    /**
     * Where checkpoints are kept: {@code --checkpoint-dir} when given, else under the data dir of a local log, else
     * (a remote {@code --kafka}) the user's cache directory.
     */
    static Path baseDir(Flags f) {
        if (f.has("checkpoint-dir")) {
            return Path.of(f.get("checkpoint-dir", ""));
        }
        if (!f.has("kafka")) {
            return Path.of(f.get("data-dir", ".meshlog")).resolve("checkpoints");
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("meshlog").resolve("checkpoints");
    }

    /**
     * The config state at {@code at} (a commit, an offset or a time, as {@link LogPoint} reads them), folded from
     * the nearest trusted checkpoint before it; writes the checkpoints the log has grown by since the last call.
     */
    static Answer stateAt(String bootstrap, String repo, Path base, int interval, String at, Instant now) {
        StateCheckpoints c = loaded(bootstrap, repo, base, interval);
        ConfigState.Folder end = c.catchUp();
        LogPoint.Resolved point = LogPoint.resolveIndexed(at, c.index, now);
        long last = c.index.isEmpty() ? -1 : c.index.get(c.index.size() - 1).offset();
        if (point.offset() >= last) {
            return new Answer(end.state(), point, c.readEvents, null);
        }
        Long from = c.checkpoints.floorKey(point.offset());
        while (true) {
            ConfigState.Folder f = from == null ? new ConfigState.Folder(ConfigState.EMPTY) : c.restore(from);
            if (from != null && f == null) {
                c.distrust(from);
                from = c.checkpoints.floorKey(point.offset());
                continue;
            }
            List<LoggedEvent> stretch = KafkaEventLog.readRange(bootstrap, repo, from == null ? 0 : from,
                    point.offset() + 1);
            c.readEvents += stretch.size();
            if (from != null && !c.matches(stretch, from)) {
                c.distrust(from);
                from = c.checkpoints.floorKey(point.offset());
                continue;
            }
            for (LoggedEvent le : stretch) {
                if (from == null || le.offset() > from) {
                    f.apply(le.event());
                }
            }
            return new Answer(f.state(), point, c.readEvents, from);
        }
    }

    /**
     * Every event of the log as an {@link LogPoint.Entry index entry}, in log order: from the checkpoints' index
     * and the log after the last one (folded to write the checkpoints it has grown by). What {@code state --at X
     * --cluster C} needs of the config log: where X is and when the next applied commit came.
     */
    static List<LogPoint.Entry> index(String bootstrap, String repo, Path base, int interval) {
        StateCheckpoints c = loaded(bootstrap, repo, base, interval);
        c.catchUp();
        return c.index;
    }

    /**
     * The checkpoints of this log with their index loaded. The topic's id names their directory, and asking the
     * broker for it costs a fresh process an Admin client's start and a round trip (0.4-2 s on a loaded machine):
     * meanwhile the index is read from the directory of the one topic whose checkpoints are there, if there is
     * only one, and read again only when the id says that was another topic's.
     */
    private static StateCheckpoints loaded(String bootstrap, String repo, Path base, int interval) {
        CompletableFuture<String> id = CompletableFuture.supplyAsync(() -> topicId(bootstrap));
        Path guess = onlyLogDir(base, repo);
        StateCheckpoints c = null;
        if (guess != null) {
            c = new StateCheckpoints(bootstrap, repo, guess, interval);
            c.loadIndex();
        }
        Path dir;
        try {
            dir = base.resolve(safe(id.join())).resolve(safe(repo));
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        if (c == null || !c.dir.equals(dir)) {
            c = new StateCheckpoints(bootstrap, repo, dir, interval);
            c.loadIndex();
        }
        return c;
    }

    /** {@code base/<topic id>/<repo>} when exactly one topic's directory holds {@code repo}'s checkpoints. */
    private static Path onlyLogDir(Path base, String repo) {
        try (Stream<Path> topics = Files.list(base)) {
            List<Path> dirs = topics.map(t -> t.resolve(safe(repo))).filter(Files::isDirectory).limit(2).toList();
            return dirs.size() == 1 ? dirs.get(0) : null;
        } catch (IOException e) {
            return null; // no checkpoints yet
        }
    }

    /**
     * Folds from the last trusted checkpoint (the index is loaded) to the end of the log, indexing
     * every event and writing a checkpoint every {@code interval} events; returns the folder at the end.
     */
    private ConfigState.Folder catchUp() {
        while (true) {
            Long last = checkpoints.isEmpty() ? null : checkpoints.lastKey();
            ConfigState.Folder f = last == null ? new ConfigState.Folder(ConfigState.EMPTY) : restore(last);
            if (last != null && f == null) {
                distrust(last);
                continue;
            }
            Tail tail = new Tail(f, last);
            try {
                // Folded as it is read, not collected: the first call folds the whole log.
                KafkaEventLog.forEachInRange(bootstrap, repo, last == null ? 0 : last, -1, tail::accept);
            } catch (Mismatch e) {
                distrust(last);
                continue;
            }
            if (last != null && !tail.checked) {
                distrust(last); // the checkpoint's event is no longer in the log
                continue;
            }
            return f;
        }
    }

    /** The fold of the log after the last checkpoint: indexes every event, writes a checkpoint every interval. */
    private final class Tail {
        private final ConfigState.Folder f;
        private final Long last;
        private long previous;
        private List<LogPoint.Entry> since = new ArrayList<>();
        private boolean checked;

        Tail(ConfigState.Folder f, Long last) {
            this.f = f;
            this.last = last;
            this.previous = last == null ? -1 : last;
        }

        void accept(LoggedEvent le) {
            readEvents++;
            if (last != null && !checked) {
                if (!matches(le, last)) {
                    throw new Mismatch(); // stops the read: the stretch is folded again from an earlier checkpoint
                }
                checked = true;
                return;
            }
            f.apply(le.event());
            LogPoint.Entry e = LogPoint.Entry.of(le);
            index.add(e);
            since.add(e);
            if (since.size() >= interval && f.atCommitBoundary() && !f.foldedPastUnreadable()) {
                write(le, previous, since, f.asEvents(repo));
                previous = le.offset();
                since = new ArrayList<>();
            }
        }
    }

    /** The log's event at a checkpoint's offset is not the one the checkpoint was made after. */
    private static final class Mismatch extends RuntimeException {
        Mismatch() {
            super(null, null, false, false);
        }
    }

    /** Reads every checkpoint's index in order, keeping the longest run that is whole and continuous. */
    private void loadIndex() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Long> offsets = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{1,18}\\.index"))
                    .forEach(n -> offsets.add(Long.parseLong(n.substring(0, n.indexOf('.')))));
        } catch (IOException e) {
            return; // no checkpoints: everything is read from the log
        }
        offsets.sort(null);
        long previous = -1;
        for (long o : offsets) {
            byte[] file = readIndexFile(dir.resolve(o + ".index"));
            int bodyStart = file == null ? -1 : indexOf(file, (byte) '\n', 0) + 1;
            Header h = bodyStart <= 0 ? null
                    : header(List.of(new String(file, 0, bodyStart - 1, StandardCharsets.UTF_8)), o);
            if (h == null || h.previous() != previous) {
                distrustFrom(o);
                return;
            }
            List<LogPoint.Entry> entries = entries(file, bodyStart);
            if (entries == null || entries.isEmpty() || entries.get(entries.size() - 1).offset() != o) {
                distrustFrom(o);
                return;
            }
            index.addAll(entries);
            checkpoints.put(o, h);
            previous = o;
        }
    }

    /**
     * An index file's bytes, or null when it cannot be read or its body (after the header line) does not match
     * the digest its header gives (7th field). Bytes, not lines: a long log's index is hundreds of thousands of
     * lines, read by every {@code state --at}.
     */
    private static byte[] readIndexFile(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            int nl = indexOf(all, (byte) '\n', 0);
            if (nl < 0) {
                return null;
            }
            String[] h = new String(all, 0, nl, StandardCharsets.UTF_8).split(" ");
            return h.length == 7 && h[6].equals(crc(all, nl + 1)) ? all : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The entries of an index body ({@code offset millis sha|-} lines), or null when a line is not one. */
    private static List<LogPoint.Entry> entries(byte[] b, int from) {
        List<LogPoint.Entry> out = new ArrayList<>();
        int i = from;
        while (i < b.length) {
            int s1 = indexOf(b, (byte) ' ', i);
            int s2 = s1 < 0 ? -1 : indexOf(b, (byte) ' ', s1 + 1);
            int end = s2 < 0 ? -1 : indexOf(b, (byte) '\n', s2 + 1);
            if (end < 0) {
                return null;
            }
            long offset = digits(b, i, s1);
            long millis = digits(b, s1 + 1, s2);
            if (offset < 0 || millis < 0 || end == s2 + 1) {
                return null;
            }
            String closes = null;
            boolean applied = false;
            if (end != s2 + 2 || b[s2 + 1] != '-') { // "sha a" (applied) or "sha r" (rejected)
                if (end - s2 - 1 < 3 || b[end - 2] != ' ' || (b[end - 1] != 'a' && b[end - 1] != 'r')) {
                    return null;
                }
                closes = new String(b, s2 + 1, end - s2 - 3, StandardCharsets.ISO_8859_1);
                applied = b[end - 1] == 'a';
            }
            out.add(new LogPoint.Entry(offset, Instant.ofEpochMilli(millis), closes, applied));
            i = end + 1;
        }
        return out;
    }

    /** The non-negative decimal number in {@code b[from, to)}, or -1 when it is none. */
    private static long digits(byte[] b, int from, int to) {
        if (to <= from || to - from > 18) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The folder restored from checkpoint {@code o}, or null when its state file is missing or not its own. */
    private ConfigState.Folder restore(long o) {
        List<String> lines = readStateLines(dir.resolve(o + ".state.gz"));
        Header h = lines == null ? null : header(lines, o);
        if (h == null || !h.equals(checkpoints.get(o))) {
            return null;
        }
        try {
            ConfigState.Folder f = new ConfigState.Folder(ConfigState.EMPTY);
            for (String line : lines.subList(1, lines.size())) {
                ConfigEvent e = EventCodec.decode(line.getBytes(StandardCharsets.UTF_8));
                if (!repo.equals(e.repo())) {
                    return null;
                }
                f.apply(e);
            }
            return f.atCommitBoundary() ? f : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the log's event at checkpoint {@code o}'s offset is the one the checkpoint was made after. */
    private boolean matches(List<LoggedEvent> read, long o) {
        return !read.isEmpty() && matches(read.get(0), o);
    }

    private boolean matches(LoggedEvent first, long o) {
        return first.offset() == o && !(first.event() instanceof ConfigEvent.UnreadableEvent)
                && digest(EventCodec.encode(first.event())).equals(checkpoints.get(o).eventDigest());
    }

    private void write(LoggedEvent at, long previous, List<LogPoint.Entry> entries, List<ConfigEvent> state) {
        StringBuilder indexBody = new StringBuilder();
        for (LogPoint.Entry e : entries) {
            indexBody.append(e.offset()).append(' ').append(e.timestamp().toEpochMilli()).append(' ')
                    .append(e.closes() == null ? "-" : e.closes() + (e.applied() ? " a" : " r")).append('\n');
        }
        StringBuilder stateBody = new StringBuilder();
        for (ConfigEvent e : state) {
            stateBody.append(new String(EventCodec.encode(e), StandardCharsets.UTF_8)).append('\n');
        }
        String event = digest(EventCodec.encode(at.event()));
        long o = at.offset();
        String stateText = MAGIC + " " + FORMAT + " " + o + " " + previous + " " + event + " " + digest(stateBody)
                + "\n" + stateBody;
        String indexText = MAGIC + " " + FORMAT + " " + o + " " + previous + " " + event + " " + digest(stateBody)
                + " " + crc(indexBody.toString().getBytes(StandardCharsets.UTF_8), 0) + "\n" + indexBody;
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve(o + ".state.gz"), stateText, true);
            writeAtomically(dir.resolve(o + ".index"), indexText, false); // last: a checkpoint exists once this does
            checkpoints.put(o, new Header(o, previous, event, digest(stateBody)));
        } catch (IOException | UncheckedIOException e) {
            // A checkpoint is only a shortcut: a directory that cannot be written costs speed, not answers.
        }
    }

    /** The header of a checkpoint file of offset {@code o}, when it is this format's and its body is whole. */
    private static Header header(List<String> lines, long o) {
        if (lines.isEmpty()) {
            return null;
        }
        String[] h = lines.get(0).split(" ");
        if (h.length < 6 || !h[0].equals(MAGIC) || !h[1].equals(String.valueOf(FORMAT))
                || !h[2].equals(String.valueOf(o))) {
            return null;
        }
        try {
            return new Header(o, Long.parseLong(h[3]), h[4], h[5]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A checkpoint that disagrees with the log is deleted, with every later one (their index follows it). */
    private void distrust(long o) {
        distrustFrom(o);
        index.removeIf(e -> e.offset() > (checkpoints.isEmpty() ? -1 : checkpoints.lastKey()));
    }

    private void distrustFrom(long o) {
        checkpoints.tailMap(o, true).clear();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> {
                String n = p.getFileName().toString();
                int dot = n.indexOf('.');
                return dot > 0 && n.substring(0, dot).matches("[0-9]{1,18}") && Long.parseLong(n.substring(0, dot)) >= o;
            }).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left for the next call to find and distrust again
        }
    }

    /** A state file's lines, or null when its body does not match the digest its header gives (6th field). */
    private List<String> readStateLines(Path file) {
        try (var in = Files.newInputStream(file);
             BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                     StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
            if (lines.isEmpty()) {
                return null;
            }
            StringBuilder body = new StringBuilder();
            lines.subList(1, lines.size()).forEach(l -> body.append(l).append('\n'));
            String[] h = lines.get(0).split(" ");
            return h.length == 6 && h[5].equals(digest(body)) ? lines : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void writeAtomically(Path file, String text, boolean gzip) throws IOException {
        // A name of its own: two readers writing the same checkpoint at once each move a whole file into place.
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().getId() + ".tmp");
        try (var out = Files.newOutputStream(tmp);
             BufferedWriter w = new BufferedWriter(new OutputStreamWriter(gzip ? new GZIPOutputStream(out) : out,
                     StandardCharsets.UTF_8))) {
            w.write(text);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The id Kafka gave the config-events topic when it was created: a recreated topic has another. */
    private static String topicId(String bootstrap) {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            return admin.describeTopics(List.of(Topics.CONFIG_EVENTS)).allTopicNames()
                    .get(KafkaClients.MAX_BLOCK_MS, TimeUnit.MILLISECONDS).get(Topics.CONFIG_EVENTS).topicId()
                    .toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + Topics.CONFIG_EVENTS + ": " + e.getMessage(), e);
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String digest(CharSequence text) {
        return digest(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String digest(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** The CRC32C of {@code bytes} from {@code from} on, as 8 hex digits. */
    private static String crc(byte[] bytes, int from) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(bytes, from, bytes.length - from);
        return String.format("%08x", c.getValue());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
