package meshlog.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.configstore.LogSafe;
import meshlog.configstore.event.EventCodec;

/**
 * {@code meshlog proxy-status}, as {@code istioctl proxy-status}: one line per connected proxy with CDS, LDS, EDS and
 * RDS as SYNCED, STALE, NACK or NOT SENT, read page by page from the {@code /api/proxies} of one or more admin
 * servers (a {@code meshlog up}, or each distributor process). Exit 0 when every proxy is SYNCED, 1 when any is not,
 * 2 when an admin server cannot be read.
 */
final class ProxyStatusCommand {

    static final int PAGE = 500;
    /** Pages read from one admin server at most: 2,000 × 500 proxies is past any fleet a distributor holds. */
    static final int MAX_PAGES = 2_000;

    private ProxyStatusCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        Set<String> flags = new java.util.HashSet<>(AdminClient.FLAGS);
        flags.addAll(Set.of("cluster", "namespace", "o", "output"));
        Flags f = Flags.parse(args, flags, Set.of());
        String format = f.get("o", f.get("output", "text"));
        if (!format.equals("text") && !format.equals("json")) {
            throw new Flags.UsageException("-o takes text or json");
        }
        if (!f.positional().isEmpty()) {
            throw new Flags.UsageException("proxy-status takes no arguments, got " + LogSafe.value(f.positional().get(0)));
        }
        AdminClient admins = AdminClient.of(f);
        Map<String, String> filter = new LinkedHashMap<>();
        if (f.has("cluster")) {
            filter.put("cluster", f.get("cluster", ""));
        }
        if (f.has("namespace")) {
            filter.put("namespace", f.get("namespace", ""));
        }
        List<JsonNode> rows = new ArrayList<>();
        for (String admin : admins.admins()) {
            try {
                rows.addAll(read(admins, admin, filter));
            } catch (IOException e) {
                err.println("meshlog: admin server " + LogSafe.value(admin) + " cannot be read: " + Main.describe(e));
                return 2;
            }
        }
        if (format.equals("json")) {
            out.println(EventCodec.json().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        } else {
            lines(rows).forEach(out::println);
        }
        return rows.stream().allMatch(r -> r.path("state").asText().equals(ProxySync.SYNCED)) ? 0 : 1;
    }

    /** Every page of one admin server's {@code /api/proxies}. */
    static List<JsonNode> read(AdminClient admins, String admin, Map<String, String> filter)
            throws IOException, InterruptedException {
        List<JsonNode> rows = new ArrayList<>();
        String after = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            StringBuilder query = new StringBuilder("limit=" + PAGE);
            filter.forEach((k, v) -> query.append('&').append(k).append('=').append(AdminClient.encode(v)));
            if (after != null) {
                query.append("&after=").append(AdminClient.encode(after));
            }
            HttpResponse<String> res = admins.get(admin, "/api/proxies?" + query);
            if (res.statusCode() != 200) {
                throw new IOException("HTTP " + res.statusCode() + ": " + LogSafe.value(res.body().strip(), 200));
            }
            JsonNode body = EventCodec.json().readTree(res.body());
            body.path("items").forEach(rows::add);
            if (body.path("next").isNull() || body.path("next").isMissingNode()) {
                return rows;
            }
            after = body.path("next").asText();
        }
        throw new IOException("more than " + MAX_PAGES + " pages of proxies");
    }

    /** istioctl's columns; the NACK errors under the table, one line each. */
    static List<String> lines(List<JsonNode> rows) {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"NAME", "CLUSTER", "CDS", "LDS", "EDS", "RDS", "DISTRIBUTOR", "VERSION"});
        List<String> errors = new ArrayList<>();
        for (JsonNode r : rows) {
            JsonNode t = r.path("types");
            String name = LogSafe.value(r.path("proxyId").asText(), 120);
            table.add(new String[] {name, r.path("cluster").asText(), t.path("CDS").asText(), t.path("LDS").asText(),
                    t.path("EDS").asText(), t.path("RDS").asText(), r.path("distributor").asText(),
                    r.path("version").asText()});
            r.path("errors").fields().forEachRemaining(e -> errors.add(name + " " + e.getKey() + " NACK: "
                    + LogSafe.value(e.getValue().asText(), ProxySync.MAX_ERROR)));
        }
        int[] width = new int[table.get(0).length];
        for (String[] row : table) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] row : table) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                sb.append(i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 3) + "s", row[i]));
            }
            out.add(sb.toString().stripTrailing());
        }
        out.addAll(errors);
        return out;
    }
}
