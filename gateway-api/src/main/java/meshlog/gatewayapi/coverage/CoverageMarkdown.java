package meshlog.gatewayapi.coverage;

import java.util.List;

/**
 * docs/config.md's "What is applied, field by field" section, generated from {@link Coverage}: the text between
 * {@link #BEGIN} and {@link #END}. A test fails when the file differs and prints the command that rewrites it.
 */
public final class CoverageMarkdown {

    public static final String BEGIN = "<!-- coverage:begin: generated from gateway-api's meshlog.gatewayapi.coverage"
            + ".Coverage; do not edit by hand -->";
    public static final String END = "<!-- coverage:end -->";

    private CoverageMarkdown() {
    }

    /** The section, markers included, ending with a newline. */
    public static String section() {
        StringBuilder md = new StringBuilder(BEGIN).append("\n\n");
        md.append(totals()).append("\n\n");
        md.append("`[]` is any list index, `.*` any map key; `{trafficPolicy}` is a DestinationRule traffic policy "
                + "wherever it is written (`spec.trafficPolicy`, `spec.subsets[].trafficPolicy`, and their "
                + "`portLevelSettings[]`, merged as Istio merges them). \"no\" for both proxy kinds: warning `ML0011` "
                + "where it is written; \"moot\": nothing any proxy would do differently yet, no warning.\n");
        for (KindRow kind : Coverage.KINDS) {
            List<FieldRow> rows = Coverage.fieldsOf(kind.name());
            if (rows.isEmpty()) {
                continue;
            }
            md.append("\n#### ").append(kind.name()).append("\n\n");
            if (!kind.note().isEmpty()) {
                md.append(kind.note().substring(0, 1).toUpperCase(java.util.Locale.ROOT))
                        .append(kind.note().substring(1)).append(".\n\n");
            }
            String envoy = kind.name().equals(Coverage.GW) ? "Envoy gateway" : "Envoy sidecar";
            md.append("| field | ").append(envoy).append(" | proxyless gRPC | note |\n|---|---|---|---|\n");
            for (FieldRow r : rows) {
                md.append("| `").append(r.path()).append('`')
                        .append(r.variant().isEmpty() ? "" : ", " + r.variant())
                        .append(" | ").append(word(r.envoy())).append(" | ").append(word(r.grpc())).append(" | ")
                        .append(r.note()).append(" |\n");
            }
        }
        md.append("\n#### Kinds applied as a whole, or not at all\n\n| kind | applied |\n|---|---|\n");
        for (KindRow kind : Coverage.KINDS) {
            if (Coverage.fieldsOf(kind.name()).isEmpty()) {
                md.append("| `").append(kind.name()).append("` | ")
                        .append(kind.translated() ? kind.note() : "no (`ML0012`): " + kind.note()).append(" |\n");
            }
        }
        return md.append('\n').append(END).append('\n').toString();
    }

    /** One line: how many fields each proxy kind is given. */
    public static String totals() {
        long envoy = Coverage.FIELDS.stream().filter(r -> r.envoy() == Applied.YES).count();
        long grpc = Coverage.FIELDS.stream().filter(r -> r.grpc() == Applied.YES).count();
        long warned = Coverage.FIELDS.stream().filter(FieldRow::warned).count();
        return Coverage.FIELDS.size() + " rows: " + envoy + " applied to Envoy (sidecars or gateways), " + grpc
                + " to proxyless gRPC clients, " + warned + " to neither (`ML0011`).";
    }

    /** {@code text} with its section replaced by {@link #section()}; the text as it is when it has no markers. */
    public static String replaceSection(String text) {
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            return text;
        }
        return text.substring(0, begin) + section() + text.substring(end + END.length() + 1);
    }

    private static String word(Applied a) {
        return switch (a) {
            case YES -> "yes";
            case NO -> "no";
            case MOOT -> "moot";
        };
    }
}
