package meshlog.configstore.state;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.CommitRejected;
import meshlog.configstore.event.ConfigEvent.ResourceDeleted;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.parse.ConfigParser;
import meshlog.gatewayapi.parse.ParseResult;

/**
 * The served config at one point of the log: what the last applied commit left, plus what is known about the last
 * commit processed (applied or rejected). Immutable; {@link #apply} returns the next state.
 *
 * @param resources the objects served, by key
 * @param pending upserts and deletes of the commit being read, not yet closed by its CommitApplied
 * @param lastProcessed sha of the last commit that was applied or rejected (where git-sync resumes)
 * @param lastApplied the last applied commit, or null
 * @param lastRejected the last rejected commit (with its diagnostics), or null
 */
public record ConfigState(Map<ResourceKey, MeshResource> resources, Map<ResourceKey, MeshResource> pending,
                          String lastProcessed, CommitInfo lastApplied, CommitRejected lastRejected) {

    public static final ConfigState EMPTY = new ConfigState(Map.of(), Map.of(), null, null, null);

    public ConfigState {
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
        pending = Collections.unmodifiableMap(new TreeMap<>(pending));
    }

    /** True between commits: when {@link #resources()} is a state some commit produced. */
    public boolean atCommitBoundary() {
        return pending.isEmpty();
    }

    public ConfigState apply(ConfigEvent event) {
        if (event instanceof ResourceUpserted u) {
            ParseResult parsed = ConfigParser.parseJson(u.file(), u.document());
            if (parsed.resources().size() != 1) {
                throw new IllegalStateException("event for " + u.key() + " holds no readable object: "
                        + parsed.diagnostics());
            }
            return withPending(u.key(), parsed.resources().get(0).resource());
        }
        if (event instanceof ResourceDeleted d) {
            return withPending(d.key(), null);
        }
        if (event instanceof CommitApplied a) {
            Map<ResourceKey, MeshResource> next = new TreeMap<>(resources);
            pending.forEach((k, v) -> {
                if (v == null) {
                    next.remove(k);
                } else {
                    next.put(k, v);
                }
            });
            return new ConfigState(next, Map.of(), a.info().sha(), a.info(), lastRejected);
        }
        CommitRejected r = (CommitRejected) event;
        return new ConfigState(resources, Map.of(), r.info().sha(), lastApplied, r);
    }

    /** Folds events in log order. */
    public static ConfigState replay(List<ConfigEvent> events) {
        ConfigState s = EMPTY;
        for (ConfigEvent e : events) {
            s = s.apply(e);
        }
        return s;
    }

    /** The served objects of one kind. */
    public <T extends MeshResource> List<T> all(Class<T> type) {
        return resources.values().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private ConfigState withPending(ResourceKey key, MeshResource value) {
        // A null value marks a delete; TreeMap allows it where Map.copyOf would not.
        Map<ResourceKey, MeshResource> next = new TreeMap<>(pending);
        next.put(key, value);
        return new ConfigState(resources, next, lastProcessed, lastApplied, lastRejected);
    }
}
