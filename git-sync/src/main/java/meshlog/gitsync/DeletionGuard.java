package meshlog.gitsync;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.ResourceKey;

/**
 * Nothing is deleted by accident: an object that disappears from a commit while the file it was read from is still
 * there and holds a document meshlog ignored (a kind it does not know, {@code ML0007}; YAML that is no object any
 * more, {@code ML0010}) was most likely broken, not removed. Such a commit is rejected with an error at that
 * document. Removing the document (or its file) still deletes the object.
 */
final class DeletionGuard {

    static final String ACCIDENTAL_DELETION = "GS0010";
    /** The warnings of a document that was read and ignored: what a broken object looks like. */
    private static final Set<String> IGNORED_DOCUMENT = Set.of("ML0007", "ML0010");

    private DeletionGuard() {
    }

    /** One error per object the commit would delete through an ignored document; empty when none. */
    static List<Diagnostic> accidentalDeletions(ConfigState applied, Set<ResourceKey> next,
                                                List<Diagnostic> warnings) {
        List<Diagnostic> out = new ArrayList<>();
        for (ResourceKey key : applied.documents().keySet()) {
            String file = applied.files().get(key);
            if (next.contains(key) || file == null) {
                continue;
            }
            warnings.stream().filter(w -> IGNORED_DOCUMENT.contains(w.code()) && w.file().equals(file)
                    && (w.resource().isEmpty() || w.resource().endsWith("/" + key.name()))).findFirst()
                    .ifPresent(w -> out.add(new Diagnostic(ACCIDENTAL_DELETION, Diagnostic.Severity.ERROR, w.file(),
                            w.line(), w.column(), key.toString(), "", key + " was defined in " + file
                            + " and this commit no longer defines it: the document here is ignored ("
                            + w.message() + "), so applying the commit would delete " + key
                            + "; fix the document, or remove it to delete the object")));
        }
        return out;
    }
}
