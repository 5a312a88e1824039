package meshlog.gatewayapi.validate;

import meshlog.gatewayapi.model.PeerAuthentication;

/**
 * PeerAuthentication rules (Istio's {@code ValidatePeerAuthentication} and the CRD's rules). The port keys of
 * {@code portLevelMtls} are checked by the reader (PA0102, PA0103).
 */
final class PeerAuthenticationRules {

    private PeerAuthenticationRules() {
    }

    static void check(PeerAuthentication pa, Findings f) {
        PolicyTargetChecks.selector("PA", pa.selector(), f);
        boolean noLabels = pa.selector() == null || pa.selector().matchLabels().isEmpty();
        if (noLabels && !pa.portLevelMtls().isEmpty()) {
            f.error("PA0101", "spec.portLevelMtls", "portLevelMtls requires selector: a mesh- or namespace-wide "
                    + "PeerAuthentication cannot have port level mTLS (ports are a workload's)");
        }
    }
}
