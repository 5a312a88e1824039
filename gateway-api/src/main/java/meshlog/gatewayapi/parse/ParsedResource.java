package meshlog.gatewayapi.parse;

import java.util.Map;
import meshlog.gatewayapi.model.MeshResource;

/**
 * A config object read from a file, with where it was written and its document as canonical JSON (what the event
 * log stores, so a replay reads exactly what was validated).
 *
 * @param positions {@code [line, column]} of every field by its path ({@code spec.http[0].route[1].weight}), so
 *     a rule found after parsing still points at the line to fix
 */
public record ParsedResource(MeshResource resource, String file, int line, int column, String json,
                             Map<String, int[]> positions) {

    public ParsedResource {
        positions = Map.copyOf(positions);
    }

    /**
     * Where the field at {@code path} was written; for a field that is absent, where its nearest written parent is
     * (a missing {@code spec.hosts} points at {@code spec}); the document's start when nothing of it was written.
     */
    public int[] positionOf(String path) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            int[] at = positions.get(p);
            if (at != null) {
                return at;
            }
        }
        return new int[] {line, column};
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }
}
