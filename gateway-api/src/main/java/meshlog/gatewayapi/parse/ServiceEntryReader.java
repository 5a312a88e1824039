package meshlog.gatewayapi.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import meshlog.gatewayapi.model.ObjectMeta;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.ServiceEntry.Location;
import meshlog.gatewayapi.model.ServiceEntry.Port;
import meshlog.gatewayapi.model.ServiceEntry.Resolution;
import meshlog.gatewayapi.model.ServiceEntry.WorkloadSelector;
import meshlog.gatewayapi.parse.SourceNode.MapNode;
import meshlog.gatewayapi.parse.SourceNode.ScalarKind;
import meshlog.gatewayapi.parse.SourceNode.ScalarNode;

/** Reads {@code ServiceEntry.spec}. */
final class ServiceEntryReader {

    private ServiceEntryReader() {
    }

    static ServiceEntry read(ObjectMeta meta, Fields spec) {
        var ports = spec.objects("ports", (f, i) -> new Port(
                f.integer("number", 0),
                upper(f.string("protocol")),
                orEmpty(f.string("name")),
                f.integer("targetPort", 0)));
        var endpoints = spec.objects("endpoints", (f, i) -> WorkloadEntryReader.endpoint(f));
        WorkloadSelector selector = null;
        Fields ws = spec.object("workloadSelector");
        if (ws != null) {
            selector = new WorkloadSelector(ws.stringMap("labels"));
            ws.end();
        }
        return new ServiceEntry(meta, spec.strings("hosts"), addresses(spec), ports,
                EnumField.read(spec, "location", Location.class, Location.MESH_EXTERNAL),
                EnumField.read(spec, "resolution", Resolution.class, Resolution.NONE),
                endpoints, spec.strings("exportTo"), spec.strings("subjectAltNames"), selector);
    }

    /**
     * The addresses as strings. An unquoted IPv6 address ending in {@code ::} inside a flow list
     * ({@code [1.2.3.4, 2001:db8::]}) is a one-key mapping to YAML 1.1 (the parser here) but a string to the YAML
     * reader Kubernetes uses, so it is read back as the string Istio sees.
     */
    private static List<String> addresses(Fields spec) {
        List<String> out = new ArrayList<>();
        List<SourceNode> items = spec.list("addresses");
        for (int i = 0; i < items.size(); i++) {
            SourceNode item = items.get(i);
            if (item instanceof MapNode m && m.entries().size() == 1
                    && m.entries().values().iterator().next() instanceof ScalarNode v
                    && (v.kind() == ScalarKind.NULL || v.text().isEmpty())
                    && m.entries().keySet().iterator().next().contains(":")) {
                out.add(m.entries().keySet().iterator().next() + ":");
                continue;
            }
            String s = spec.asString(item, spec.pathOf("addresses") + "[" + i + "]");
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static String upper(String s) {
        return s == null ? "" : s.toUpperCase(Locale.ROOT);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
