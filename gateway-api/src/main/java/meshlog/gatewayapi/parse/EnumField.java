package meshlog.gatewayapi.parse;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Reads a string field holding one of an enum's names, naming the allowed values when it holds another. */
final class EnumField {

    static final String BAD_ENUM = "ML0006";

    private EnumField() {
    }

    static <E extends Enum<E>> E read(Fields fields, String key, Class<E> type, E absent) {
        String text = fields.string(key);
        if (text == null) {
            return absent;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(text)) {
                return e;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        fields.error(BAD_ENUM, key, "unknown value \"" + text + "\"; allowed: " + allowed);
        return absent;
    }
}
