package meshlog.reconciler.ir;

/**
 * Something translation skipped or could not serve as written, and why; the served config stays consistent.
 *
 * @param resource the config object concerned, e.g. {@code VirtualService default/reviews}
 * @param message what was skipped and why, naming the field path where there is one
 */
public record TranslationNote(String resource, String message) {

    @Override
    public String toString() {
        return resource + ": " + message;
    }
}
