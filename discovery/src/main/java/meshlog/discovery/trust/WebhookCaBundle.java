package meshlog.discovery.trust;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The injection webhook's {@code clientConfig.caBundle}, as istiod's webhook patcher keeps it: every webhook of the
 * configuration carries the base64 of the mesh root, so that the API server trusts the injector's certificate
 * (issued by the mesh CA). Set again when someone (a {@code kubectl apply} of the manifest's empty value) resets it.
 */
public final class WebhookCaBundle {

    private WebhookCaBundle() {
    }

    /** The value every webhook's caBundle must have. */
    public static String expected(String rootPem) {
        return Base64.getEncoder().encodeToString(rootPem.getBytes(StandardCharsets.UTF_8));
    }

    /** The indexes of the webhooks whose caBundle is not {@link #expected}, in order; empty when all are. */
    public static List<Integer> stale(List<String> caBundles, String rootPem) {
        String want = expected(rootPem);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < caBundles.size(); i++) {
            if (!want.equals(caBundles.get(i))) {
                out.add(i);
            }
        }
        return out;
    }
}
