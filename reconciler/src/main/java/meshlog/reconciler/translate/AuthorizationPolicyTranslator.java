package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.AuthorizationPolicy;
import meshlog.gatewayapi.model.AuthorizationPolicy.Action;
import meshlog.gatewayapi.model.PolicyTarget;
import meshlog.reconciler.ir.InboundChainIr;
import meshlog.reconciler.ir.InboundListenerIr;
import meshlog.reconciler.ir.ListenerIr;
import meshlog.reconciler.ir.RbacFilterIr;
import meshlog.reconciler.ir.RbacPermissionIr;
import meshlog.reconciler.ir.RbacPrincipalIr;
import meshlog.reconciler.ir.TranslationNote;
import meshlog.reconciler.ir.VirtualInboundIr;

/**
 * The AuthorizationPolicies of one Envoy sidecar as the RBAC filters of its inbound chains, as Istio's
 * {@code authz/builder} makes them:
 *
 * <ul>
 *   <li>Which policies apply: those of the root namespace ({@code istio-system}) without a selector to every
 *       workload; those of the workload's namespace without a selector; those with a {@code selector} (in the
 *       workload's namespace, or the root namespace) whose labels the workload carries. Policies with
 *       {@code targetRef(s)} select gateways and waypoints, not sidecars (and are refused by validation, as
 *       meshlog serves neither).</li>
 *   <li>One filter per action, in Istio's order AUDIT (Envoy's LOG), DENY, ALLOW; each rule of a policy is one RBAC
 *       policy {@code ns[<ns>]-policy[<name>]-rule[<i>]} ({@link AuthorizationRuleTranslator}); a policy without
 *       rules one that never matches (so an ALLOW policy {@code spec: {}} denies everything).</li>
 *   <li>A policy annotated {@code istio.io/dry-run: "true"} goes to the filter's shadow rules: counted and logged,
 *       never enforced; a filter of dry-run policies only enforces nothing.</li>
 *   <li>No policy applies: no filter, everything is allowed. CUSTOM policies are refused by validation (meshlog
 *       reads no mesh config with extension providers); any that reach here are left out with a note.</li>
 * </ul>
 *
 * <p>HTTP chains get the HTTP RBAC filter, TCP chains the network one, with the rules Istio makes for TCP.
 */
final class AuthorizationPolicyTranslator {

    /** The trust domain of the SPIFFE IDs principals name: Istio's default, and meshlog's CA's. */
    static final String TRUST_DOMAIN = "cluster.local";
    static final String DRY_RUN = "istio.io/dry-run";
    private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final List<Action> ORDER = List.of(Action.AUDIT, Action.DENY, Action.ALLOW);

    private AuthorizationPolicyTranslator() {
    }

    /** The RBAC filters of one sidecar's HTTP and TCP chains. */
    record Filters(List<RbacFilterIr> http, List<RbacFilterIr> tcp) {
        static final Filters NONE = new Filters(List.of(), List.of());

        Filters {
            http = List.copyOf(http);
            tcp = List.copyOf(tcp);
        }
    }

    /** {@code listeners} with the filters of the policies that apply to {@code scope} on every inbound chain. */
    static List<ListenerIr> apply(List<ListenerIr> listeners, List<AuthorizationPolicy> policies, ProxyScope scope,
                                  List<TranslationNote> notes) {
        Filters filters = filters(policies, scope, notes);
        if (filters.http().isEmpty() && filters.tcp().isEmpty()) {
            return listeners;
        }
        return listeners.stream().map(l -> {
            if (l instanceof VirtualInboundIr v) {
                return v.withChains(v.chains().stream().map(c -> with(c, filters)).toList());
            } else if (l instanceof InboundListenerIr b) {
                return new InboundListenerIr(b.name(), b.address(), b.port(), with(b.chain(), filters));
            }
            return l;
        }).toList();
    }

    private static InboundChainIr with(InboundChainIr chain, Filters filters) {
        return chain.withRbac(chain.http() ? filters.http() : filters.tcp());
    }

    /** The filters of the policies that apply to {@code scope}, HTTP and TCP. */
    static Filters filters(List<AuthorizationPolicy> policies, ProxyScope scope, List<TranslationNote> notes) {
        List<AuthorizationPolicy> applied = policies.stream().filter(p -> applies(p, scope))
                .sorted(Comparator.comparing(AuthorizationPolicy::key)).toList();
        if (applied.isEmpty()) {
            return Filters.NONE;
        }
        List<RbacFilterIr> http = new ArrayList<>();
        List<RbacFilterIr> tcp = new ArrayList<>();
        for (Action action : ORDER) {
            List<AuthorizationPolicy> of = applied.stream().filter(p -> p.action() == action).toList();
            if (!of.isEmpty()) {
                http.add(filter(action, of, false));
                tcp.add(filter(action, of, true));
            }
        }
        applied.stream().filter(p -> p.action() == Action.CUSTOM).forEach(p -> notes.add(new TranslationNote(
                p.key().toString(), "CUSTOM action needs a declared extension provider; not applied")));
        return new Filters(http, tcp);
    }

    /** Whether {@code policy} applies to the sidecar of {@code scope}. */
    static boolean applies(AuthorizationPolicy policy, ProxyScope scope) {
        return selects(policy.metadata().namespace(), policy.target(), scope);
    }

    /**
     * Whether a policy of namespace {@code ns} with {@code target} selects the sidecar of {@code scope}: Istio's
     * rule for AuthorizationPolicy and RequestAuthentication alike.
     */
    static boolean selects(String ns, PolicyTarget target, ProxyScope scope) {
        if (scope.kind() != ProxyScope.Kind.SIDECAR) {
            return false;
        }
        boolean root = ns.equals(SidecarSelector.ROOT_NAMESPACE);
        if (!root && !ns.equals(scope.namespace())) {
            return false;
        }
        if (target.namespaceWide()) {
            return true;
        }
        return target.selector() != null && SidecarSelector.selects(target.selector().matchLabels(), scope.labels());
    }

    private static RbacFilterIr filter(Action action, List<AuthorizationPolicy> policies, boolean tcp) {
        RbacFilterIr.Action rbac = switch (action) {
            case AUDIT -> RbacFilterIr.Action.LOG;
            case DENY -> RbacFilterIr.Action.DENY;
            case ALLOW -> RbacFilterIr.Action.ALLOW;
            default -> throw new AssertionError(action);
        };
        List<RbacFilterIr.Policy> enforced = new ArrayList<>();
        List<RbacFilterIr.Policy> shadow = new ArrayList<>();
        boolean anyEnforced = false;
        for (AuthorizationPolicy p : policies) {
            boolean dryRun = dryRun(p);
            anyEnforced |= !dryRun;
            List<RbacFilterIr.Policy> into = dryRun ? shadow : enforced;
            String ns = p.metadata().namespace();
            String prefix = "ns[" + ns + "]-policy[" + p.metadata().name() + "]-rule[";
            for (int i = 0; i < p.rules().size(); i++) {
                RbacFilterIr.Policy one = AuthorizationRuleTranslator.translate(prefix + i + "]", p.rules().get(i),
                        ns, TRUST_DOMAIN, tcp, action == Action.DENY);
                if (one != null) {
                    into.add(one);
                }
            }
            if (p.rules().isEmpty()) {
                into.add(new RbacFilterIr.Policy(prefix + "0]", List.of(new RbacPermissionIr.Not(RbacPermissionIr.ANY)),
                        List.of(new RbacPrincipalIr.Not(RbacPrincipalIr.ANY))));
            }
        }
        Comparator<RbacFilterIr.Policy> byName = Comparator.comparing(RbacFilterIr.Policy::name);
        enforced.sort(byName);
        shadow.sort(byName);
        return new RbacFilterIr(rbac, anyEnforced, enforced, shadow);
    }

    /** Istio reads the annotation as Go's {@code strconv.ParseBool}; anything else is not a dry run. */
    static boolean dryRun(AuthorizationPolicy p) {
        String v = p.metadata().annotations().get(DRY_RUN);
        return v != null && TRUE.contains(v);
    }
}
