package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.ObjectMeta;
import meshlog.gatewayapi.model.ServiceEntry.WorkloadEndpoint;
import meshlog.gatewayapi.model.WorkloadEntry;

/** Reads {@code WorkloadEntry.spec}, which has the shape of a ServiceEntry's inline endpoint. */
final class WorkloadEntryReader {

    private WorkloadEntryReader() {
    }

    static WorkloadEntry read(ObjectMeta meta, Fields spec) {
        return new WorkloadEntry(meta, endpoint(spec));
    }

    /** One WorkloadEntry-shaped object: a WorkloadEntry's spec or an item of a ServiceEntry's endpoints. */
    static WorkloadEndpoint endpoint(Fields f) {
        return new WorkloadEndpoint(f.string("address"), f.intMap("ports"), f.stringMap("labels"),
                f.string("network"), f.string("locality"), f.integer("weight", 0), f.string("serviceAccount"));
    }
}
