package meshlog.gatewayapi.parse;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import meshlog.gatewayapi.model.ObjectMeta;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.ServiceEntry.Location;
import meshlog.gatewayapi.model.ServiceEntry.Port;
import meshlog.gatewayapi.model.ServiceEntry.Resolution;
import meshlog.gatewayapi.model.ServiceEntry.WorkloadEndpoint;

/** Reads {@code ServiceEntry.spec}. */
final class ServiceEntryReader {

    private ServiceEntryReader() {
    }

    static ServiceEntry read(ObjectMeta meta, Fields spec) {
        spec.notImplemented("exportTo", "subjectAltNames", "workloadSelector");
        var ports = spec.objects("ports", (f, i) -> new Port(
                f.integer("number", 0),
                upper(f.string("protocol")),
                orEmpty(f.string("name")),
                f.integer("targetPort", 0)));
        var endpoints = spec.objects("endpoints", (f, i) -> endpoint(f));
        return new ServiceEntry(meta, spec.strings("hosts"), spec.strings("addresses"), ports,
                EnumField.read(spec, "location", Location.class, Location.MESH_EXTERNAL),
                EnumField.read(spec, "resolution", Resolution.class, Resolution.NONE),
                endpoints);
    }

    private static WorkloadEndpoint endpoint(Fields f) {
        f.notImplemented("serviceAccount");
        Map<String, Integer> ports = new LinkedHashMap<>();
        Fields portMap = f.object("ports");
        if (portMap != null) {
            for (String name : ((SourceNode.MapNode) portMap.node()).entries().keySet()) {
                Integer p = portMap.integer(name, null);
                if (p != null) {
                    ports.put(name, p);
                }
            }
            portMap.end();
        }
        return new WorkloadEndpoint(orEmpty(f.string("address")), ports, f.stringMap("labels"),
                f.string("network"), f.string("locality"), f.integer("weight", 0));
    }

    private static String upper(String s) {
        return s == null ? "" : s.toUpperCase(Locale.ROOT);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
