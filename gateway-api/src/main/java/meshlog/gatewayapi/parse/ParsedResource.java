package meshlog.gatewayapi.parse;

import meshlog.gatewayapi.model.MeshResource;

/**
 * A config object read from a file, with where it was written and its document as canonical JSON (what the event
 * log stores, so a replay reads exactly what was validated).
 */
public record ParsedResource(MeshResource resource, String file, int line, int column, String json) {
}
