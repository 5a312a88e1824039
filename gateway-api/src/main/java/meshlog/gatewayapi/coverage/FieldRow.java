package meshlog.gatewayapi.coverage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of the coverage table: a field of one kind, whether each proxy kind is given it, and a short note.
 *
 * @param kind the kind as {@link KindRow#name()} names it
 * @param path the field's path: {@code []} stands for any list index, a last {@code .*} for any map key (a header
 *     name), and {@code {trafficPolicy}} for every place a DestinationRule traffic policy is written (the rule's,
 *     a subset's, and their {@code portLevelSettings[]})
 * @param variant which values of the field the row is about, when another row has the same path ("wildcard");
 *     empty for all of them
 * @param when the values the row is about, as tested on what the user wrote
 */
public record FieldRow(String kind, String path, String variant, Applied envoy, Applied grpc, String note,
                       When when) {

    static final String TRAFFIC_POLICY = "{trafficPolicy}";
    private static final String TRAFFIC_POLICY_RE =
            "spec(\\.subsets\\[\\d+\\])?\\.trafficPolicy(\\.portLevelSettings\\[\\d+\\])?";
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    public FieldRow {
        pattern(path); // a malformed path fails when the table is loaded, not when a user's document is checked
    }

    /** {@code VirtualService spec.hosts[] (wildcard)}: what tests and the docs call the row. */
    public String id() {
        return kind + " " + path + (variant.isEmpty() ? "" : " (" + variant + ")");
    }

    /** Applied to neither proxy kind, and not moot: a written value gets warning ML0011. */
    public boolean warned() {
        return envoy == Applied.NO && grpc == Applied.NO;
    }

    /** Whether the concrete field path {@code concrete} ({@code spec.http[0].timeout}) is this row's field. */
    public boolean matches(String concrete) {
        return PATTERNS.computeIfAbsent(path, FieldRow::pattern).matcher(concrete).matches();
    }

    private static Pattern pattern(String path) {
        StringBuilder re = new StringBuilder();
        String rest = path;
        if (rest.startsWith(TRAFFIC_POLICY)) {
            re.append(TRAFFIC_POLICY_RE);
            rest = rest.substring(TRAFFIC_POLICY.length());
        }
        boolean anyKey = rest.endsWith(".*");
        if (anyKey) {
            rest = rest.substring(0, rest.length() - 2);
        }
        Matcher m = Pattern.compile("\\[]").matcher(rest);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(rest.substring(last, m.start()))).append("\\[\\d+\\]");
            last = m.end();
        }
        re.append(Pattern.quote(rest.substring(last)));
        if (anyKey) {
            re.append("\\..+");
        }
        return Pattern.compile(re.toString());
    }
}
