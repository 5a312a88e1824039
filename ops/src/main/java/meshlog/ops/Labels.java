package meshlog.ops;

import meshlog.configstore.LogSafe;
import java.util.Map;
import java.util.TreeMap;

/** {@code k=v,k2=v2} from the command line, as workload labels. */
final class Labels {

    private Labels() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new TreeMap<>();
        if (text.isBlank()) {
            return out;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new Flags.UsageException("--labels takes k=v,k2=v2; \"" + LogSafe.value(pair)
                        + "\" has no key=value");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }
}
