package meshlog.injector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What istio-init captures, from the pod's {@code traffic.sidecar.istio.io/*} annotations: outbound TCP to
 * {@link MeshPorts#OUTBOUND} unless its destination range or port is excluded, inbound TCP to
 * {@link MeshPorts#INBOUND} on the included ports less the excluded ones (the sidecar's own always excluded).
 * Values as Istio spells them: {@code *} for all, comma-separated CIDRs or ports, empty for none. IPv4 only.
 *
 * @param includeOutboundIpRanges {@code ["*"]} all, empty none
 * @param includeInboundPorts     {@code ["*"]} all, empty none
 */
public record TrafficCapture(List<String> includeOutboundIpRanges, List<String> excludeOutboundIpRanges,
                             List<Integer> excludeOutboundPorts, List<String> includeInboundPorts,
                             List<Integer> excludeInboundPorts) {

    public static final String PREFIX = "traffic.sidecar.istio.io/";
    /** Annotation and init-container flag names, in the order the flags are written. */
    public static final List<String> NAMES = List.of("includeOutboundIPRanges", "excludeOutboundIPRanges",
            "excludeOutboundPorts", "includeInboundPorts", "excludeInboundPorts");
    private static final Pattern CIDR = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(/(3[0-2]|[12]?[0-9]))?");

    public TrafficCapture {
        includeOutboundIpRanges = List.copyOf(includeOutboundIpRanges);
        excludeOutboundIpRanges = List.copyOf(excludeOutboundIpRanges);
        excludeOutboundPorts = List.copyOf(excludeOutboundPorts);
        includeInboundPorts = List.copyOf(includeInboundPorts);
        excludeInboundPorts = List.copyOf(excludeInboundPorts);
    }

    /** Istio's defaults: everything captured but the sidecar's own inbound ports. */
    public static final TrafficCapture DEFAULT = new TrafficCapture(List.of("*"), List.of(), List.of(), List.of("*"),
            List.of());

    /**
     * From a pod's annotations; an annotation meshlog does not know under {@link #PREFIX} is ignored (Istio has
     * more, for other interception modes).
     *
     * @throws InjectionException naming the annotation and value that is not a CIDR or port list
     */
    public static TrafficCapture fromAnnotations(Map<String, String> annotations) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : NAMES) {
            String v = annotations == null ? null : annotations.get(PREFIX + name);
            if (v != null) {
                values.put(name, v);
            }
        }
        return of(values, "annotation " + PREFIX);
    }

    /**
     * From values by {@link #NAMES} (a missing one takes its default): the annotations, or the flags of
     * {@code meshlog iptables}, which reads back what {@link #flags()} wrote.
     *
     * @param where how the message names a value's source, followed by its name
     */
    public static TrafficCapture of(Map<String, String> values, String where) {
        return new TrafficCapture(
                ranges(values.getOrDefault("includeOutboundIPRanges", "*"), where + "includeOutboundIPRanges"),
                ranges(values.getOrDefault("excludeOutboundIPRanges", ""), where + "excludeOutboundIPRanges"),
                ports(values.getOrDefault("excludeOutboundPorts", ""), where + "excludeOutboundPorts", false)
                        .stream().map(Integer::valueOf).toList(),
                ports(values.getOrDefault("includeInboundPorts", "*"), where + "includeInboundPorts", true),
                ports(values.getOrDefault("excludeInboundPorts", ""), where + "excludeInboundPorts", false)
                        .stream().map(Integer::valueOf).toList());
    }

    /** The values by name, as {@link #of} reads them. */
    public Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("includeOutboundIPRanges", String.join(",", includeOutboundIpRanges));
        out.put("excludeOutboundIPRanges", String.join(",", excludeOutboundIpRanges));
        out.put("excludeOutboundPorts", join(excludeOutboundPorts));
        out.put("includeInboundPorts", String.join(",", includeInboundPorts));
        out.put("excludeInboundPorts", join(excludeInboundPorts));
        return out;
    }

    /** The init container's flags, one {@code --name=value} each, so an empty value stays one argument. */
    public List<String> flags() {
        List<String> out = new ArrayList<>();
        values().forEach((name, value) -> out.add("--" + flagName(name) + "=" + value));
        return out;
    }

    /** {@code includeOutboundIPRanges} as a flag: {@code include-outbound-ip-ranges}. */
    public static String flagName(String name) {
        return name.replace("IP", "Ip").replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    private static String join(List<Integer> ports) {
        return String.join(",", ports.stream().map(String::valueOf).toList());
    }

    private static List<String> items(String value) {
        return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> ranges(String value, String what) {
        List<String> out = items(value);
        if (out.contains("*")) {
            if (out.size() > 1) {
                throw new InjectionException(what + ": \"*\" cannot be combined with ranges, got \""
                        + cut(value) + "\"");
            }
            return out;
        }
        for (String r : out) {
            if (!CIDR.matcher(r).matches()) {
                throw new InjectionException(what + ": \"" + cut(r) + "\" is not an IPv4 address or CIDR (like"
                        + " 10.0.0.0/8; meshlog captures IPv4 only)");
            }
        }
        return out;
    }

    private static List<String> ports(String value, String what, boolean star) {
        List<String> out = items(value);
        if (star && out.equals(List.of("*"))) {
            return out;
        }
        for (String p : out) {
            int n = p.matches("[0-9]{1,5}") ? Integer.parseInt(p) : 0;
            if (n < 1 || n > 65535) {
                throw new InjectionException(what + ": \"" + cut(p) + "\" is not a port (1-65535"
                        + (star ? ", or \"*\" alone" : "") + ")");
            }
        }
        return out;
    }

    private static String cut(String s) {
        return meshlog.configstore.LogSafe.value(s, 64);
    }
}
