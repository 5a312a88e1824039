package meshlog.gatewayapi;

import java.util.Comparator;

/** Identity of a config object: two documents with the same key are the same object. */
public record ResourceKey(String kind, String namespace, String name) implements Comparable<ResourceKey> {

    private static final Comparator<ResourceKey> ORDER = Comparator.comparing(ResourceKey::kind)
            .thenComparing(ResourceKey::namespace).thenComparing(ResourceKey::name);

    /** Parses the {@link #toString()} form {@code Kind namespace/name}. */
    public static ResourceKey parse(String text) {
        int space = text.indexOf(' ');
        int slash = text.indexOf('/', space);
        if (space < 0 || slash < 0) {
            throw new IllegalArgumentException("not a resource key: " + text);
        }
        return new ResourceKey(text.substring(0, space), text.substring(space + 1, slash), text.substring(slash + 1));
    }

    @Override
    public int compareTo(ResourceKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}
