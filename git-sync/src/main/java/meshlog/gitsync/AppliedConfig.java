package meshlog.gitsync;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.gatewayapi.ResourceKey;

/**
 * What git-sync needs to know of the log: the document of every applied object (to tell what a commit changes) and
 * the last commit processed (where to resume). Folded from the log itself, so a restart never records a commit twice.
 */
record AppliedConfig(Map<ResourceKey, String> documents, String lastProcessed) {

    static final AppliedConfig EMPTY = new AppliedConfig(Map.of(), null);

    AppliedConfig {
        documents = Collections.unmodifiableMap(new TreeMap<>(documents));
    }

    /** Folds a commit's events (or the whole log) onto this state; uncommitted upserts are never part of it. */
    AppliedConfig apply(List<ConfigEvent> events) {
        Map<ResourceKey, String> docs = new TreeMap<>(documents);
        Map<ResourceKey, String> pending = new TreeMap<>();
        String last = lastProcessed;
        for (ConfigEvent e : events) {
            if (e instanceof ResourceUpserted u) {
                pending.put(u.key(), u.document());
            } else if (e instanceof ResourceDeleted d) {
                pending.put(d.key(), null);
            } else if (e instanceof CommitApplied a) {
                pending.forEach((k, v) -> {
                    if (v == null) {
                        docs.remove(k);
                    } else {
                        docs.put(k, v);
                    }
                });
                pending.clear();
                last = a.info().sha();
            } else if (e instanceof CommitRejected r) {
                pending.clear();
                last = r.info().sha();
            }
        }
        return new AppliedConfig(docs, last);
    }
}
