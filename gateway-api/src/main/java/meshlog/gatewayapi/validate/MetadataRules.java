package meshlog.gatewayapi.validate;

import java.util.Set;
import meshlog.gatewayapi.model.AuthorizationPolicy;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.model.ObjectMeta;

/**
 * Rules on {@code metadata} that hold for every kind: what Kubernetes' API server checks (names, labels) and Istio's
 * {@code validateMetadata} (the dry-run annotation, internal annotations).
 */
final class MetadataRules {

    static final String DRY_RUN = "istio.io/dry-run";
    /** Annotations Istio's own controllers write (always-reject, parents, route semantics); users must not. */
    static final String INTERNAL_PREFIX = "internal.istio.io/";
    /** Go's strconv.ParseBool, which Istio uses for the dry-run annotation. */
    private static final Set<String> BOOLEANS = Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F",
            "FALSE", "false", "False");

    private MetadataRules() {
    }

    static void check(MeshResource r, Findings f) {
        ObjectMeta m = r.metadata();
        if (!Checks.isDns1123Subdomain(m.name())) {
            f.error("ML0013", "metadata.name", "\"" + m.name() + "\" is not a valid name: lower-case letters, digits,"
                    + " '-' and '.', starting and ending with a letter or digit, at most 253 characters");
        }
        if (!Checks.isDns1123Label(m.namespace())) {
            f.error("ML0013", "metadata.namespace", "\"" + m.namespace() + "\" is not a valid namespace: lower-case"
                    + " letters, digits and '-', at most 63 characters");
        }
        m.labels().forEach((k, v) -> {
            String problem = Checks.labelKey(k);
            f.errorIf("ML0014", "metadata.labels." + k, problem == null ? Checks.labelValue(v) : problem);
        });
        m.annotations().forEach((k, v) -> {
            if (k.startsWith(INTERNAL_PREFIX)) {
                f.error("ML0016", "metadata.annotations." + k, "annotations under " + INTERNAL_PREFIX
                        + " are written by Istio's own controllers and cannot be set in config");
            }
        });
        String dryRun = m.annotations().get(DRY_RUN);
        if (dryRun != null) {
            checkDryRun(r, dryRun, f);
        }
    }

    /** Istio's checkDryRunAnnotation. */
    private static void checkDryRun(MeshResource r, String value, Findings f) {
        String path = "metadata.annotations." + DRY_RUN;
        if (!(r instanceof AuthorizationPolicy policy)) {
            f.error("ML0015", path, DRY_RUN + " is supported only on AuthorizationPolicy");
            return;
        }
        if (!BOOLEANS.contains(value)) {
            f.error("ML0015", path, "must be true or false, got \"" + value + "\"");
        }
        if (policy.action() != AuthorizationPolicy.Action.ALLOW && policy.action() != AuthorizationPolicy.Action.DENY) {
            f.error("ML0015", path, DRY_RUN + " is supported only with action ALLOW or DENY, not "
                    + policy.action());
        }
    }
}
