package meshlog.reconciler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshlog.configstore.scope.ProxyScope;
import meshlog.gatewayapi.model.AuthorizationPolicy;
import meshlog.gatewayapi.model.AuthorizationPolicy.Action;
import meshlog.gatewayapi.model.AuthorizationPolicy.Condition;
import meshlog.gatewayapi.model.AuthorizationPolicy.Operation;
import meshlog.gatewayapi.model.AuthorizationPolicy.Rule;
import meshlog.gatewayapi.model.AuthorizationPolicy.Source;
import meshlog.gatewayapi.model.ObjectMeta;
import meshlog.gatewayapi.model.PolicyTarget;
import meshlog.gatewayapi.model.PolicyTarget.TargetRef;
import meshlog.gatewayapi.model.PolicyTarget.WorkloadSelector;
import meshlog.reconciler.ir.RbacFilterIr;
import meshlog.reconciler.ir.RbacMatchIr;
import meshlog.reconciler.ir.RbacPermissionIr;
import meshlog.reconciler.ir.RbacPrincipalIr;
import meshlog.reconciler.ir.TranslationNote;
import org.junit.jupiter.api.Test;

class AuthorizationPolicyTranslatorTest {

    static final ProxyScope REVIEWS = ProxyScope.sidecar("demo", Map.of("app", "reviews", "version", "v1"),
            ProxyScope.Interception.REDIRECT);
    static final PolicyTarget NAMESPACE = new PolicyTarget(null, null, List.of());

    @Test
    void rootNamespaceNamespaceAndSelectorPoliciesApplyOthersDoNot() {
        assertThat(AuthorizationPolicyTranslator.applies(policy("istio-system", "mesh", NAMESPACE), REVIEWS)).isTrue();
        assertThat(AuthorizationPolicyTranslator.applies(policy("demo", "ns", NAMESPACE), REVIEWS)).isTrue();
        assertThat(AuthorizationPolicyTranslator.applies(policy("demo", "sel", selector("app", "reviews")), REVIEWS))
                .isTrue();
        assertThat(AuthorizationPolicyTranslator.applies(policy("istio-system", "rootsel",
                selector("app", "reviews")), REVIEWS)).isTrue();
        assertThat(AuthorizationPolicyTranslator.applies(policy("demo", "other", selector("app", "ratings")), REVIEWS))
                .isFalse();
        assertThat(AuthorizationPolicyTranslator.applies(policy("other", "ns", NAMESPACE), REVIEWS)).isFalse();
        assertThat(AuthorizationPolicyTranslator.applies(policy("demo", "ref", new PolicyTarget(null,
                new TargetRef("", "Service", "reviews", ""), List.of())), REVIEWS)).isFalse();
        assertThat(AuthorizationPolicyTranslator.applies(policy("demo", "ns", NAMESPACE), ProxyScope.grpc("demo")))
                .isFalse();
    }

    @Test
    void oneFilterPerActionInIstiosOrderAuditDenyAllow() {
        List<AuthorizationPolicy> policies = List.of(
                policy("demo", "b-allow", NAMESPACE, Action.ALLOW, Map.of(), List.of(new Rule(List.of(), List.of(),
                        List.of()))),
                policy("demo", "a-deny", NAMESPACE, Action.DENY, Map.of(), List.of(new Rule(List.of(), List.of(),
                        List.of()))),
                policy("demo", "c-audit", NAMESPACE, Action.AUDIT, Map.of(), List.of(new Rule(List.of(), List.of(),
                        List.of()))));
        var filters = AuthorizationPolicyTranslator.filters(policies, REVIEWS, new ArrayList<>());
        assertThat(filters.http()).extracting(RbacFilterIr::action)
                .containsExactly(RbacFilterIr.Action.LOG, RbacFilterIr.Action.DENY, RbacFilterIr.Action.ALLOW);
        assertThat(filters.http().get(1).policies()).extracting(RbacFilterIr.Policy::name)
                .containsExactly("ns[demo]-policy[a-deny]-rule[0]");
    }

    @Test
    void noPolicyNoFilterAndAnAllowWithoutRulesNeverMatches() {
        assertThat(AuthorizationPolicyTranslator.filters(List.of(), REVIEWS, new ArrayList<>()).http()).isEmpty();
        var filters = AuthorizationPolicyTranslator.filters(List.of(policy("demo", "nothing", NAMESPACE,
                Action.ALLOW, Map.of(), List.of())), REVIEWS, new ArrayList<>());
        RbacFilterIr allow = filters.http().get(0);
        assertThat(allow.enforced()).isTrue();
        assertThat(allow.policies()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("ns[demo]-policy[nothing]-rule[0]");
            assertThat(p.permissions()).containsExactly(new RbacPermissionIr.Not(RbacPermissionIr.ANY));
        });
    }

    @Test
    void dryRunPoliciesAreShadowRulesAndAFilterOfOnlyThoseEnforcesNothing() {
        Rule any = new Rule(List.of(), List.of(), List.of());
        var filters = AuthorizationPolicyTranslator.filters(List.of(
                policy("demo", "try", NAMESPACE, Action.DENY, Map.of("istio.io/dry-run", "true"), List.of(any)),
                policy("demo", "maybe", NAMESPACE, Action.ALLOW, Map.of("istio.io/dry-run", "True"), List.of(any)),
                policy("demo", "real", NAMESPACE, Action.ALLOW, Map.of("istio.io/dry-run", "false"), List.of(any))),
                REVIEWS, new ArrayList<>());
        RbacFilterIr deny = filters.http().get(0);
        assertThat(deny.enforced()).isFalse();
        assertThat(deny.shadow()).extracting(RbacFilterIr.Policy::name).containsExactly("ns[demo]-policy[try]-rule[0]");
        RbacFilterIr allow = filters.http().get(1);
        assertThat(allow.enforced()).isTrue();
        assertThat(allow.policies()).extracting(RbacFilterIr.Policy::name).containsExactly("ns[demo]-policy[real]-rule[0]");
        assertThat(allow.shadow()).extracting(RbacFilterIr.Policy::name)
                .containsExactly("ns[demo]-policy[maybe]-rule[0]");
    }

    @Test
    void principalsNamespacesAndServiceAccountsAreSpiffeIds() {
        Source src = source(List.of("cluster.local/ns/demo/sa/web", "cluster.local/ns/ops/*", "*/sa/admin", "*"),
                List.of("demo", "team-*"), List.of());
        RbacFilterIr.Policy p = AuthorizationRuleTranslator.translate("p", new Rule(List.of(src), List.of(),
                List.of()), "demo", "cluster.local", false, false);
        assertThat(p.principals()).containsExactly(new RbacPrincipalIr.And(List.of(
                new RbacPrincipalIr.Or(List.of(
                        auth(RbacMatchIr.exact("spiffe://cluster.local/ns/demo/sa/web")),
                        auth(RbacMatchIr.prefix("spiffe://cluster.local/ns/ops/")),
                        auth(RbacMatchIr.regex("spiffe://.*/sa/admin")),
                        auth(RbacMatchIr.regex(".+")))),
                new RbacPrincipalIr.Or(List.of(auth(RbacMatchIr.regex(".*/ns/demo/.*")),
                        auth(RbacMatchIr.regex(".*/ns/team-.*/.*")))))));
        Source accounts = source(List.of(), List.of(), List.of("web", "ops/prober"));
        RbacFilterIr.Policy q = AuthorizationRuleTranslator.translate("q", new Rule(List.of(accounts), List.of(),
                List.of()), "demo", "cluster.local", false, false);
        assertThat(q.principals()).containsExactly(new RbacPrincipalIr.And(List.of(new RbacPrincipalIr.Or(List.of(
                auth(RbacMatchIr.exact("spiffe://cluster.local/ns/demo/sa/web")),
                auth(RbacMatchIr.exact("spiffe://cluster.local/ns/ops/sa/prober")))))));
    }

    @Test
    void onTcpAnAllowRuleWithHttpFieldsIsLeftOutAndADenyRuleDropsThem() {
        Operation getOn80 = new Operation(List.of(), List.of(), List.of("80"), List.of(), List.of("GET"), List.of(),
                List.of(), List.of());
        Rule rule = new Rule(List.of(), List.of(getOn80), List.of(new Condition("request.headers[x]", List.of("1"),
                List.of())));
        assertThat(AuthorizationRuleTranslator.translate("a", rule, "demo", "cluster.local", true, false)).isNull();
        RbacFilterIr.Policy deny = AuthorizationRuleTranslator.translate("d", rule, "demo", "cluster.local", true,
                true);
        assertThat(deny.permissions()).containsExactly(new RbacPermissionIr.And(List.of(new RbacPermissionIr.Or(
                List.of(new RbacPermissionIr.DestinationPort(80))))));
        assertThat(deny.principals()).containsExactly(new RbacPrincipalIr.And(List.of(RbacPrincipalIr.ANY)));
        RbacFilterIr.Policy http = AuthorizationRuleTranslator.translate("h", rule, "demo", "cluster.local", false,
                false);
        assertThat(http.principals()).containsExactly(new RbacPrincipalIr.And(List.of(new RbacPrincipalIr.Or(List.of(
                new RbacPrincipalIr.Header("x", RbacMatchIr.regex("^1$|^1,.*|.*,1,.*|.*,1$")))))));
    }

    @Test
    void pathsTakeWildcardsAndUriTemplates() {
        Operation op = new Operation(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of("/exact", "/pre/*", "*.json", "*", "/items/{*}/detail"), List.of());
        RbacFilterIr.Policy p = AuthorizationRuleTranslator.translate("p", new Rule(List.of(), List.of(op),
                List.of()), "demo", "cluster.local", false, false);
        assertThat(p.permissions()).containsExactly(new RbacPermissionIr.And(List.of(new RbacPermissionIr.Or(List.of(
                new RbacPermissionIr.UrlPath(RbacMatchIr.exact("/exact")),
                new RbacPermissionIr.UrlPath(RbacMatchIr.prefix("/pre/")),
                new RbacPermissionIr.UrlPath(RbacMatchIr.suffix(".json")),
                new RbacPermissionIr.UrlPath(RbacMatchIr.regex(".+")),
                new RbacPermissionIr.UriTemplate("/items/{*}/detail"))))));
    }

    @Test
    void aCustomPolicyThatReachesTheTranslatorIsLeftOutWithANote() {
        List<TranslationNote> notes = new ArrayList<>();
        var filters = AuthorizationPolicyTranslator.filters(List.of(policy("demo", "ext", NAMESPACE, Action.CUSTOM,
                Map.of(), List.of(new Rule(List.of(), List.of(), List.of())))), REVIEWS, notes);
        assertThat(filters.http()).isEmpty();
        assertThat(notes).extracting(TranslationNote::message).singleElement().asString().contains("CUSTOM");
    }

    private static RbacPrincipalIr auth(RbacMatchIr m) {
        return new RbacPrincipalIr.Authenticated(m);
    }

    private static Source source(List<String> principals, List<String> namespaces, List<String> accounts) {
        return new Source(principals, List.of(), List.of(), List.of(), namespaces, List.of(), accounts, List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private static PolicyTarget selector(String key, String value) {
        return new PolicyTarget(new WorkloadSelector(Map.of(key, value)), null, List.of());
    }

    private static AuthorizationPolicy policy(String ns, String name, PolicyTarget target) {
        return policy(ns, name, target, Action.ALLOW, Map.of(), List.of());
    }

    private static AuthorizationPolicy policy(String ns, String name, PolicyTarget target, Action action,
                                              Map<String, String> annotations, List<Rule> rules) {
        return new AuthorizationPolicy(new ObjectMeta(name, ns, Map.of(), annotations), target, action,
                action == Action.CUSTOM ? new AuthorizationPolicy.Provider("opa") : null, rules);
    }
}
