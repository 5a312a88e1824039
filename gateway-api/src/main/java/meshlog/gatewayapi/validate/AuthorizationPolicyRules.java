package meshlog.gatewayapi.validate;

import java.util.List;
import java.util.Map;
import java.util.Set;
import meshlog.gatewayapi.model.AuthorizationPolicy;
import meshlog.gatewayapi.model.AuthorizationPolicy.Action;
import meshlog.gatewayapi.model.AuthorizationPolicy.Condition;
import meshlog.gatewayapi.model.AuthorizationPolicy.Operation;
import meshlog.gatewayapi.model.AuthorizationPolicy.Rule;
import meshlog.gatewayapi.model.AuthorizationPolicy.Source;
import meshlog.gatewayapi.validate.AuthorizationChecks.ValueKind;

/**
 * AuthorizationPolicy rules (Istio's {@code ValidateAuthorizationPolicy} and the CRD's rules). Empty lists and
 * null items are reported by the reader (AP0105).
 */
final class AuthorizationPolicyRules {

    static final int MAX_RULES = 512;
    /** Source fields a CUSTOM policy cannot use: the external authorizer is asked before identities are known. */
    private static final Set<String> NOT_WITH_CUSTOM = Set.of("principals", "notPrincipals", "requestPrincipals",
            "notRequestPrincipals", "namespaces", "notNamespaces", "serviceAccounts", "notServiceAccounts",
            "trustDomains", "notTrustDomains");
    private static final Set<String> WHEN_NOT_WITH_CUSTOM = Set.of("source.namespace", "source.serviceAccount",
            "source.principal", "source.trustDomain");
    /** Source fields an L4 (TCP) filter can match; the others need HTTP. */
    private static final Set<String> TCP_SOURCE_FIELDS = Set.of("principals", "notPrincipals", "namespaces",
            "notNamespaces", "serviceAccounts", "notServiceAccounts", "ipBlocks", "notIpBlocks", "remoteIpBlocks",
            "notRemoteIpBlocks", "trustDomains", "notTrustDomains");
    /** The source and operation fields whose values are checked as more than non-empty strings. */
    private static final Map<String, ValueKind> FIELD_KINDS = Map.of("ipBlocks", ValueKind.IP,
            "notIpBlocks", ValueKind.IP, "remoteIpBlocks", ValueKind.IP, "notRemoteIpBlocks", ValueKind.IP,
            "serviceAccounts", ValueKind.SERVICE_ACCOUNT, "notServiceAccounts", ValueKind.SERVICE_ACCOUNT,
            "ports", ValueKind.PORT, "notPorts", ValueKind.PORT, "paths", ValueKind.PATH, "notPaths", ValueKind.PATH);

    private AuthorizationPolicyRules() {
    }

    static void check(AuthorizationPolicy ap, Findings f) {
        PolicyTargetChecks.target("AP", ap.target(), f);
        actionAndProvider(ap, f);
        if (ap.rules().size() > MAX_RULES) {
            f.error("AP0117", "spec.rules", "at most " + MAX_RULES + " rules, got " + ap.rules().size());
        }
        for (int i = 0; i < ap.rules().size(); i++) {
            rule(ap, ap.rules().get(i), "spec.rules[" + i + "]", f);
        }
    }

    private static void actionAndProvider(AuthorizationPolicy ap, Findings f) {
        if ((ap.action() == Action.DENY || ap.action() == Action.CUSTOM) && ap.rules().isEmpty()) {
            f.error("AP0101", "spec.rules", ap.action() + " action without `rules` is meaningless as it will never "
                    + "be triggered, add an empty rule `{}` if you want it be triggered for every request");
        }
        if (ap.action() == Action.CUSTOM && !ap.rules().isEmpty()
                && (ap.provider() == null || ap.provider().name().isEmpty())) {
            f.error("AP0102", "spec.provider.name", "`provider.name` must not be empty: a CUSTOM action needs the "
                    + "extension provider that decides");
        }
        if (ap.provider() != null && ap.action() != Action.CUSTOM) {
            f.error("AP0103", "spec.provider", "`provider` must not be with non CUSTOM action, found "
                    + ap.action());
        }
    }

    private static void rule(AuthorizationPolicy ap, Rule rule, String path, Findings f) {
        if (rule.from().size() > MAX_RULES) {
            f.error("AP0117", path + ".from", "at most " + MAX_RULES + " entries, got " + rule.from().size());
        }
        boolean tcpInFrom = false;
        for (int j = 0; j < rule.from().size(); j++) {
            Source src = rule.from().get(j);
            source(ap.action(), src, path + ".from[" + j + "].source", f);
            tcpInFrom |= src.fields().entrySet().stream()
                    .anyMatch(e -> TCP_SOURCE_FIELDS.contains(e.getKey()) && !e.getValue().isEmpty());
        }
        boolean tcpInTo = false;
        for (int j = 0; j < rule.to().size(); j++) {
            Operation op = rule.to().get(j);
            operation(op, path + ".to[" + j + "].operation", f);
            tcpInTo |= !op.ports().isEmpty() || !op.notPorts().isEmpty();
        }
        for (int j = 0; j < rule.when().size(); j++) {
            condition(ap.action(), rule.when().get(j), path + ".when[" + j + "]", f);
        }
        boolean fromOnlyHttp = !rule.from().isEmpty() && rule.to().isEmpty() && !tcpInFrom;
        boolean toOnlyHttp = !rule.to().isEmpty() && !tcpInTo;
        if (ap.action() == Action.DENY && (fromOnlyHttp || toOnlyHttp)) {
            f.warning("AP0116", path, "configured AuthorizationPolicy will deny all traffic to TCP ports under its "
                    + "scope due to the use of only HTTP attributes in a DENY rule; it is recommended to "
                    + "explicitly specify the port");
        }
    }

    private static void source(Action action, Source src, String path, Findings f) {
        Map<String, List<String>> fields = src.fields();
        if (fields.values().stream().allMatch(List::isEmpty)) {
            f.error("AP0106", path, "`from.source` must not be empty: set at least one field");
            return;
        }
        boolean identity = !src.principals().isEmpty() || !src.notPrincipals().isEmpty()
                || !src.namespaces().isEmpty() || !src.notNamespaces().isEmpty();
        if (identity && (!src.serviceAccounts().isEmpty() || !src.notServiceAccounts().isEmpty())) {
            f.error("AP0111", path, "Cannot set serviceAccounts with namespaces or principals");
        }
        for (Map.Entry<String, List<String>> e : fields.entrySet()) {
            String at = path + "." + e.getKey();
            if (action == Action.CUSTOM && !e.getValue().isEmpty() && NOT_WITH_CUSTOM.contains(e.getKey())) {
                f.error("AP0104", at, e.getKey() + " is currently not supported with CUSTOM action");
            }
            values(FIELD_KINDS.getOrDefault(e.getKey(), ValueKind.ANY), e.getValue(), at, f);
        }
    }

    private static void operation(Operation op, String path, Findings f) {
        Map<String, List<String>> fields = op.fields();
        if (fields.values().stream().allMatch(List::isEmpty)) {
            f.error("AP0106", path, "`to.operation` must not be empty: set at least one field");
            return;
        }
        for (Map.Entry<String, List<String>> e : fields.entrySet()) {
            values(FIELD_KINDS.getOrDefault(e.getKey(), ValueKind.ANY), e.getValue(), path + "." + e.getKey(), f);
        }
    }

    private static void condition(Action action, Condition c, String path, Findings f) {
        if (c.key().isEmpty()) {
            f.error("AP0113", path + ".key", "`key` must not be empty");
            return;
        }
        if (c.values().isEmpty() && c.notValues().isEmpty()) {
            f.error("AP0114", path, "at least one of `values` or `notValues` must be set for key " + c.key());
        }
        if (action == Action.CUSTOM && (WHEN_NOT_WITH_CUSTOM.contains(c.key())
                || c.key().startsWith("request.auth."))) {
            f.error("AP0104", path + ".key", c.key() + " is currently not supported with CUSTOM action");
        }
        Object kind = AuthorizationChecks.attribute(c.key());
        if (kind instanceof String problem) {
            f.error("AP0115", path + ".key", problem);
            return;
        }
        values((ValueKind) kind, c.values(), path + ".values", f);
        values((ValueKind) kind, c.notValues(), path + ".notValues", f);
    }

    /** Values of a source or operation field or a condition: not empty, and each as its kind requires. */
    private static void values(ValueKind kind, List<String> values, String path, Findings f) {
        if (kind == ValueKind.SERVICE_ACCOUNT && values.size() > AuthorizationChecks.MAX_SERVICE_ACCOUNTS) {
            f.error("AP0112", path, "may not have more than " + AuthorizationChecks.MAX_SERVICE_ACCOUNTS
                    + " values, got " + values.size());
        }
        for (int k = 0; k < values.size(); k++) {
            String v = values.get(k);
            String at = path + "[" + k + "]";
            if (v.isEmpty()) {
                f.error("AP0107", at, "empty value not allowed");
                continue;
            }
            switch (kind) {
                case IP -> f.errorIf("AP0108", at, Checks.ipOrCidr(v));
                case PORT -> f.errorIf("AP0109", at, AuthorizationChecks.port(v));
                case SERVICE_ACCOUNT -> f.errorIf("AP0112", at, AuthorizationChecks.serviceAccount(v));
                case PATH -> f.errorIf("AP0110", at, AuthorizationChecks.pathTemplate(v));
                default -> {
                }
            }
        }
    }
}
