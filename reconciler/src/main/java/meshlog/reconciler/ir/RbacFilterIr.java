package meshlog.reconciler.ir;

import java.util.List;

/**
 * One of Envoy's RBAC filters (HTTP or network) on an inbound chain, for one AuthorizationPolicy action. Istio
 * builds one per action, in the order AUDIT, DENY, ALLOW: a request any DENY policy matches is refused, then one no
 * ALLOW policy matches (when ALLOW policies apply); AUDIT only marks requests for logging.
 *
 * @param enforced whether {@code policies} decide ({@code rules} in Envoy's terms); false when every policy of
 *     this action is a dry run, and the filter only counts and logs ({@code shadow_rules}). An enforced ALLOW
 *     filter without policies denies everything
 * @param policies the enforced policies, sorted by name
 * @param shadow the dry-run policies ({@code istio.io/dry-run: "true"}), sorted by name
 */
public record RbacFilterIr(Action action, boolean enforced, List<Policy> policies, List<Policy> shadow) {

    /** Envoy's RBAC action; LOG is Istio's AUDIT. */
    public enum Action { ALLOW, DENY, LOG }

    /**
     * One rule of one AuthorizationPolicy: matches when one of {@code permissions} and one of {@code principals}
     * match.
     *
     * @param name {@code ns[<ns>]-policy[<name>]-rule[<i>]}, as Istio names it
     */
    public record Policy(String name, List<RbacPermissionIr> permissions, List<RbacPrincipalIr> principals) {
        public Policy {
            permissions = List.copyOf(permissions);
            principals = List.copyOf(principals);
        }
    }

    public RbacFilterIr {
        policies = List.copyOf(policies);
        shadow = List.copyOf(shadow);
    }
}
