package meshlog.gitsync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.state.ConfigState;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.BranchRewritten;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.parse.ParsedResource;

/**
 * Turns one commit's files into the events of one transaction: the whole tree is compiled and compared with what is
 * applied, so a commit is accepted or rejected as a whole and a later commit is always judged against the last good
 * state, never against a rejected one.
 */
final class CommitPlanner {

    /** The events to append, the state they lead to, and a one-line summary for the log. */
    record Plan(List<ConfigEvent> events, ConfigState next, boolean accepted, int upserts, int deletes,
                CompiledConfig compiled) {
    }

    private CommitPlanner() {
    }

    /** Rejects a commit that would leave nothing served, unless its message carries this trailer. */
    static final String ALLOW_EMPTY_TRAILER = "Meshlog-Allow-Empty";
    static final String DELETES_EVERYTHING = "GS0007";
    static final String OUT_OF_MEMORY = "GS0008";

    static Plan plan(String repo, ConfigState applied, CommitInfo info, CommitFiles files) {
        return plan(repo, applied, info, files, null);
    }

    /**
     * As {@link #plan(String, ConfigState, CommitInfo, CommitFiles)}, for the head of a rewritten branch: the
     * transaction opens with {@code rewrite}. Nothing else differs: every commit is judged as a whole tree against
     * what is applied, so the new head is applied as the full state it is, whatever the discarded commits did.
     *
     * @param rewrite null unless the commit is the head of a rewritten branch
     */
    static Plan plan(String repo, ConfigState applied, CommitInfo info, CommitFiles files, BranchRewritten rewrite) {
        return afterRewrite(applied, planOf(repo, applied, info, files), rewrite);
    }

    /**
     * A commit refused before its files are read (by {@code --require-signed}): rejected with {@code why}, so the
     * next commit is judged against the state before it, as after any rejection.
     *
     * @param rewrite null unless the commit is the head of a rewritten branch
     */
    static Plan refused(String repo, ConfigState applied, CommitInfo info, Diagnostic why, BranchRewritten rewrite) {
        return afterRewrite(applied, rejected(repo, applied, info, new CompiledConfig(List.of(), List.of(why))),
                rewrite);
    }

    private static Plan afterRewrite(ConfigState applied, Plan plan, BranchRewritten rewrite) {
        if (rewrite == null) {
            return plan;
        }
        List<ConfigEvent> events = new ArrayList<>(plan.events().size() + 1);
        events.add(rewrite);
        events.addAll(plan.events());
        return new Plan(events, fold(applied, events), plan.accepted(), plan.upserts(), plan.deletes(),
                plan.compiled());
    }

    private static Plan planOf(String repo, ConfigState applied, CommitInfo info, CommitFiles files) {
        try {
            return planOrThrow(repo, applied, info, files);
        } catch (RuntimeException | StackOverflowError e) {
            // A bug of ours must not jam the branch: the commit is rejected, the ones after it still get their turn.
            Diagnostic internal = new Diagnostic("ML0000", Diagnostic.Severity.ERROR, "", 1, 1, "", "",
                    "internal error while validating this commit, please report it: " + e);
            CompiledConfig compiled = new CompiledConfig(List.of(), List.of(internal));
            return rejected(repo, applied, info, compiled);
        } catch (OutOfMemoryError e) {
            // The limits bound the bytes read, but YAML of tiny scalars costs ~120 bytes of heap per byte: when a
            // commit within the limits still exhausts the heap, the commit is rejected (everything it allocated is
            // garbage now) rather than retried on every poll, forever.
            long heapMiB = Runtime.getRuntime().maxMemory() >> 20;
            Diagnostic oom = new Diagnostic(OUT_OF_MEMORY, Diagnostic.Severity.ERROR, "", 1, 1, "", "",
                    "compiling this commit ran out of memory (heap " + heapMiB + " MiB); lower --max-commit-bytes"
                    + " so such a commit is refused before it is read, or give the JVM more heap (MESHLOG_JAVA_OPTS)");
            return rejected(repo, applied, info, new CompiledConfig(List.of(), List.of(oom)));
        }
    }

    private static Plan rejected(String repo, ConfigState applied, CommitInfo info, CompiledConfig compiled) {
        List<ConfigEvent> events = List.of(new CommitRejected(repo, info, compiled.diagnostics()));
        return new Plan(events, fold(applied, events), false, 0, 0, compiled);
    }

    private static ConfigState fold(ConfigState applied, List<ConfigEvent> events) {
        ConfigState.Folder next = new ConfigState.Folder(applied);
        events.forEach(next::apply);
        return next.state();
    }

    private static Plan planOrThrow(String repo, ConfigState applied, CommitInfo info, CommitFiles files) {
        CompiledConfig compiled = files.compile();
        if (compiled.hasErrors()) {
            return rejected(repo, applied, info, compiled);
        }
        Map<ResourceKey, ParsedResource> next = new TreeMap<>();
        compiled.resources().forEach(p -> next.put(p.resource().key(), p));
        if (next.isEmpty() && !applied.documents().isEmpty() && !allowsEmpty(info.message())) {
            List<Diagnostic> all = new ArrayList<>(compiled.diagnostics());
            all.add(deletesEverything(applied));
            return rejected(repo, applied, info, new CompiledConfig(List.of(), all));
        }
        List<Diagnostic> accidental = DeletionGuard.accidentalDeletions(applied, next.keySet(), compiled.warnings());
        if (!accidental.isEmpty()) {
            List<Diagnostic> all = new ArrayList<>(accidental);
            all.addAll(compiled.diagnostics());
            return rejected(repo, applied, info, new CompiledConfig(List.of(), all));
        }
        List<ConfigEvent> events = new ArrayList<>();
        List<ResourceKey> changed = new ArrayList<>();
        next.forEach((key, p) -> {
            if (!p.json().equals(applied.documents().get(key))) {
                events.add(new ResourceUpserted(repo, info.sha(), key, p.file(), p.line(), p.json()));
                changed.add(key);
            }
        });
        int upserts = changed.size();
        for (ResourceKey key : applied.documents().keySet()) {
            if (!next.containsKey(key)) {
                events.add(new ResourceDeleted(repo, info.sha(), key));
                changed.add(key);
            }
        }
        events.add(new CommitApplied(repo, info, changed, compiled.warnings()));
        // Folded before anything is appended: a failure here rejects the commit instead of recording it forever.
        return new Plan(events, fold(applied, events), true, upserts, changed.size() - upserts, compiled);
    }

    /**
     * Argo CD's {@code allowEmpty}, for one commit: deleting every object at once (a {@code git rm -r .}, a branch
     * reset to an empty tree, a move of every file under a dot-directory) empties every proxy, so it must be asked
     * for explicitly.
     */
    private static Diagnostic deletesEverything(ConfigState applied) {
        int n = applied.documents().size();
        String example = applied.documents().keySet().iterator().next().toString();
        return new Diagnostic(DELETES_EVERYTHING, Diagnostic.Severity.ERROR, "", 1, 1, "", "",
                "this commit deletes every object (" + n + (n == 1 ? " object" : " objects") + ", e.g. " + example
                + "), so proxies would be left with no config at all; if that is intended, add the trailer \""
                + ALLOW_EMPTY_TRAILER + ": true\" to the commit message");
    }

    /** Whether a line of the message's last paragraph (where git puts trailers) is {@code Meshlog-Allow-Empty: true}. */
    static boolean allowsEmpty(String message) {
        String[] paragraphs = message.strip().split("\\R\\s*\\R");
        for (String line : paragraphs[paragraphs.length - 1].split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(ALLOW_EMPTY_TRAILER)
                    && line.substring(colon + 1).strip().equalsIgnoreCase("true")) {
                return true;
            }
        }
        return false;
    }
}
