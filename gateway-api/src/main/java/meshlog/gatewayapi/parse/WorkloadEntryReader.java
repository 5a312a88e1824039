package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.WorkloadEntry;
import meshlog.gatewayapi.model.ObjectMeta;

/** Reads {@code WorkloadEntry.spec}. Placeholder: every field is accepted unread. */
final class WorkloadEntryReader {

    private WorkloadEntryReader() {
    }

    static WorkloadEntry read(ObjectMeta meta, Fields spec) {
        spec.keys().forEach(spec::raw);
        return new WorkloadEntry(meta);
    }
}
