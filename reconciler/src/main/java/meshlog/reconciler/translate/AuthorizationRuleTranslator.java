package meshlog.reconciler.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import meshlog.gatewayapi.model.AuthorizationPolicy.Condition;
import meshlog.gatewayapi.model.AuthorizationPolicy.Operation;
import meshlog.gatewayapi.model.AuthorizationPolicy.Rule;
import meshlog.gatewayapi.model.AuthorizationPolicy.Source;
import meshlog.reconciler.ir.RbacFilterIr;
import meshlog.reconciler.ir.RbacMatchIr;
import meshlog.reconciler.ir.RbacPermissionIr;
import meshlog.reconciler.ir.RbacPrincipalIr;

/**
 * One AuthorizationPolicy rule as one RBAC policy, as Istio's {@code authz/model} generates it: a permission per
 * {@code to} entry and a principal per {@code from} entry (ORed), each the AND of its fields; a field's values are
 * ORed, its {@code not*} values a NOT of their OR; {@code when} conditions are ANDed into every permission (what
 * the request is for) or every principal (who sends it). Values take Istio's wildcards: {@code x*}, {@code *x} and
 * {@code *} (present).
 *
 * <p>On a TCP chain only connection attributes exist. A rule using an HTTP-only one (methods, paths, hosts,
 * {@code remoteIpBlocks}, header conditions) is left out of an ALLOW or AUDIT filter (it can never match, so less
 * is allowed), while in a DENY filter that attribute is dropped (the rule matches more, so more is denied).
 */
final class AuthorizationRuleTranslator {

    private static final String CLAIMS = "request.auth.claims[";

    private final String namespace;
    private final String trustDomain;
    private final boolean tcp;
    private final boolean dropHttpOnly;
    private boolean skipped;

    private AuthorizationRuleTranslator(String namespace, String trustDomain, boolean tcp, boolean dropHttpOnly) {
        this.namespace = namespace;
        this.trustDomain = trustDomain;
        this.tcp = tcp;
        this.dropHttpOnly = dropHttpOnly;
    }

    /**
     * The policy of {@code rule}, or null when it is left out of a TCP chain's filter.
     *
     * @param namespace the policy's namespace (what a {@code serviceAccounts} value without one means)
     * @param deny whether the filter is DENY (HTTP-only attributes dropped on TCP) rather than ALLOW or LOG
     */
    static RbacFilterIr.Policy translate(String name, Rule rule, String namespace, String trustDomain, boolean tcp,
                                         boolean deny) {
        AuthorizationRuleTranslator t = new AuthorizationRuleTranslator(namespace, trustDomain, tcp, deny);
        List<RbacPermissionIr> conditionRules = new ArrayList<>();
        List<RbacPrincipalIr> conditionIds = new ArrayList<>();
        rule.when().forEach(c -> t.condition(c, conditionRules, conditionIds));
        List<RbacPermissionIr> permissions = new ArrayList<>();
        for (Operation op : rule.to()) {
            permissions.add(and(t.operation(op), conditionRules));
        }
        if (permissions.isEmpty()) {
            permissions.add(and(List.of(), conditionRules));
        }
        List<RbacPrincipalIr> principals = new ArrayList<>();
        for (Source src : rule.from()) {
            principals.add(andIds(t.source(src), conditionIds));
        }
        if (principals.isEmpty()) {
            principals.add(andIds(List.of(), conditionIds));
        }
        return t.skipped ? null : new RbacFilterIr.Policy(name, permissions, principals);
    }

    private static RbacPermissionIr and(List<RbacPermissionIr> fields, List<RbacPermissionIr> conditions) {
        List<RbacPermissionIr> all = new ArrayList<>(fields);
        all.addAll(conditions);
        return new RbacPermissionIr.And(all.isEmpty() ? List.of(RbacPermissionIr.ANY) : all);
    }

    private static RbacPrincipalIr andIds(List<RbacPrincipalIr> fields, List<RbacPrincipalIr> conditions) {
        List<RbacPrincipalIr> all = new ArrayList<>(fields);
        all.addAll(conditions);
        return new RbacPrincipalIr.And(all.isEmpty() ? List.of(RbacPrincipalIr.ANY) : all);
    }

    private List<RbacPermissionIr> operation(Operation op) {
        List<RbacPermissionIr> out = new ArrayList<>();
        httpRule(out, op.hosts(), op.notHosts(), v -> new RbacPermissionIr.Header(":authority",
                wildcard(v, "").ignoringCase()));
        httpRule(out, op.methods(), op.notMethods(), v -> new RbacPermissionIr.Header(":method", wildcard(v, "")));
        httpRule(out, op.paths(), op.notPaths(), AuthorizationRuleTranslator::path);
        rule(out, op.ports(), op.notPorts(), v -> new RbacPermissionIr.DestinationPort(Integer.parseInt(v)));
        return out;
    }

    private List<RbacPrincipalIr> source(Source src) {
        List<RbacPrincipalIr> out = new ArrayList<>();
        id(out, src.principals(), src.notPrincipals(), v -> authenticated(wildcard(v, "spiffe://")));
        id(out, src.namespaces(), src.notNamespaces(), AuthorizationRuleTranslator::namespace);
        id(out, src.serviceAccounts(), src.notServiceAccounts(), this::serviceAccount);
        id(out, src.trustDomains(), src.notTrustDomains(), AuthorizationRuleTranslator::trustDomain);
        id(out, src.ipBlocks(), src.notIpBlocks(), v -> ip(true, v));
        if (!src.remoteIpBlocks().isEmpty() || !src.notRemoteIpBlocks().isEmpty()) {
            if (httpOnly()) {
                id(out, src.remoteIpBlocks(), src.notRemoteIpBlocks(), v -> ip(false, v));
            }
        }
        if (!src.requestPrincipals().isEmpty() || !src.notRequestPrincipals().isEmpty()) {
            if (httpOnly()) {
                id(out, src.requestPrincipals(), src.notRequestPrincipals(), AuthorizationRuleTranslator::requestPrincipal);
            }
        }
        return out;
    }

    private void condition(Condition c, List<RbacPermissionIr> rules, List<RbacPrincipalIr> ids) {
        String key = c.key();
        if (key.startsWith("request.headers[") && key.endsWith("]")) {
            String header = key.substring("request.headers[".length(), key.length() - 1);
            if (httpOnly()) {
                id(ids, c.values(), c.notValues(), v -> new RbacPrincipalIr.Header(header, headerValue(v)));
            }
            return;
        }
        if (key.startsWith(CLAIMS) && key.endsWith("]")) {
            if (httpOnly()) {
                claim(ids, claimPath(key), c);
            }
            return;
        }
        switch (key) {
            case "request.auth.principal" -> {
                if (httpOnly()) {
                    id(ids, c.values(), c.notValues(), AuthorizationRuleTranslator::requestPrincipal);
                }
            }
            case "request.auth.audiences" -> {
                if (httpOnly()) {
                    claim(ids, List.of("aud"), c);
                }
            }
            case "request.auth.presenter" -> {
                if (httpOnly()) {
                    claim(ids, List.of("azp"), c);
                }
            }
            case "source.ip" -> id(ids, c.values(), c.notValues(), v -> ip(true, v));
            case "remote.ip" -> {
                if (httpOnly()) {
                    id(ids, c.values(), c.notValues(), v -> ip(false, v));
                }
            }
            case "source.namespace" -> id(ids, c.values(), c.notValues(), AuthorizationRuleTranslator::namespace);
            case "source.principal" -> id(ids, c.values(), c.notValues(),
                    v -> authenticated(wildcard(v, "spiffe://")));
            case "source.serviceAccount" -> id(ids, c.values(), c.notValues(), this::serviceAccount);
            case "source.trustDomain" -> id(ids, c.values(), c.notValues(), AuthorizationRuleTranslator::trustDomain);
            case "destination.ip" -> rule(rules, c.values(), c.notValues(), AuthorizationRuleTranslator::destinationIp);
            case "destination.port" -> rule(rules, c.values(), c.notValues(),
                    v -> new RbacPermissionIr.DestinationPort(Integer.parseInt(v)));
            case "connection.sni" -> rule(rules, c.values(), c.notValues(),
                    v -> new RbacPermissionIr.ServerName(wildcard(v, "")));
            default -> notEnforceable(); // experimental.*: refused by validation
        }
    }

    /** Whether an HTTP-only attribute is matched here; on TCP it drops the attribute (DENY) or the rule. */
    private boolean httpOnly() {
        if (!tcp) {
            return true;
        }
        if (!dropHttpOnly) {
            skipped = true;
        }
        return false;
    }

    /**
     * An attribute meshlog cannot match (validation refuses it; this guards config accepted before): failing
     * closed as for an HTTP attribute on TCP, an ALLOW rule is left out and a DENY rule matches without it.
     */
    private void notEnforceable() {
        if (!dropHttpOnly) {
            skipped = true;
        }
    }

    private void httpRule(List<RbacPermissionIr> out, List<String> values, List<String> notValues,
                          Function<String, RbacPermissionIr> one) {
        if ((!values.isEmpty() || !notValues.isEmpty()) && httpOnly()) {
            rule(out, values, notValues, one);
        }
    }

    private static void rule(List<RbacPermissionIr> out, List<String> values, List<String> notValues,
                             Function<String, RbacPermissionIr> one) {
        if (!values.isEmpty()) {
            out.add(new RbacPermissionIr.Or(values.stream().map(one).toList()));
        }
        if (!notValues.isEmpty()) {
            out.add(new RbacPermissionIr.Not(new RbacPermissionIr.Or(notValues.stream().map(one).toList())));
        }
    }

    private static void id(List<RbacPrincipalIr> out, List<String> values, List<String> notValues,
                           Function<String, RbacPrincipalIr> one) {
        if (!values.isEmpty()) {
            out.add(new RbacPrincipalIr.Or(values.stream().map(one).toList()));
        }
        if (!notValues.isEmpty()) {
            out.add(new RbacPrincipalIr.Not(new RbacPrincipalIr.Or(notValues.stream().map(one).toList())));
        }
    }

    /**
     * A request principal {@code <iss>/<sub>} (split at the last {@code /}, as an issuer may be a URL) as Istio
     * matches it: the verified token's {@code iss} and {@code sub} claims; {@code *} any, {@code *x} a suffix of
     * the issuer (or of the subject, without a {@code /}), {@code x*} a prefix of the subject (or of the issuer).
     */
    private static RbacPrincipalIr requestPrincipal(String v) {
        int slash = v.lastIndexOf('/');
        boolean found = slash >= 0;
        String iss = found ? v.substring(0, slash) : v;
        String sub = found ? v.substring(slash + 1) : "";
        RbacMatchIr any = RbacMatchIr.regex(".+");
        RbacMatchIr matchIss;
        RbacMatchIr matchSub;
        if (v.equals("*")) {
            matchIss = any;
            matchSub = any;
        } else if (v.startsWith("*")) {
            matchIss = !found ? any : iss.equals("*") ? any : RbacMatchIr.suffix(iss.substring(1));
            matchSub = found ? RbacMatchIr.exact(sub) : RbacMatchIr.suffix(v.substring(1));
        } else if (v.endsWith("*")) {
            matchIss = found ? RbacMatchIr.exact(iss) : RbacMatchIr.prefix(v.substring(0, v.length() - 1));
            matchSub = !found ? any : sub.equals("*") ? any : RbacMatchIr.prefix(sub.substring(0, sub.length() - 1));
        } else {
            matchIss = RbacMatchIr.exact(iss);
            matchSub = RbacMatchIr.exact(sub);
        }
        return new RbacPrincipalIr.And(List.of(new RbacPrincipalIr.JwtClaim(List.of("iss"), List.of(matchIss), false),
                new RbacPrincipalIr.JwtClaim(List.of("sub"), List.of(matchSub), false)));
    }

    /** A claim condition: one of the values (a string claim, or an item of a list claim); not one of notValues. */
    private static void claim(List<RbacPrincipalIr> out, List<String> path, Condition c) {
        if (!c.values().isEmpty()) {
            out.add(new RbacPrincipalIr.JwtClaim(path, c.values().stream().map(v -> wildcard(v, "")).toList(), true));
        }
        if (!c.notValues().isEmpty()) {
            out.add(new RbacPrincipalIr.Not(new RbacPrincipalIr.JwtClaim(path,
                    c.notValues().stream().map(v -> wildcard(v, "")).toList(), true)));
        }
    }

    /**
     * The claim path of {@code request.auth.claims[a][b]}: {@code [a, b]}, nested objects; {@code [a.b]} is one
     * claim named {@code a.b}, as Istio reads it.
     */
    static List<String> claimPath(String key) {
        String inner = key.substring(CLAIMS.length(), key.length() - 1);
        return List.of(inner.split("\\]\\[", -1));
    }

    /** Istio's string wildcards: {@code *} present (required non-empty), {@code x*} prefix, {@code *x} suffix. */
    static RbacMatchIr wildcard(String v, String prefix) {
        if (v.equals("*")) {
            return prefix.isEmpty() ? RbacMatchIr.PRESENT : RbacMatchIr.regex(".+");
        }
        if (v.startsWith("*")) {
            // A prefix to keep cannot be a suffix match; Istio writes a regex then.
            return prefix.isEmpty() ? RbacMatchIr.suffix(v.substring(1))
                    : RbacMatchIr.regex(RbacMatchIr.quote(prefix) + ".*" + RbacMatchIr.quote(v.substring(1)));
        }
        if (v.endsWith("*")) {
            return RbacMatchIr.prefix(prefix + v.substring(0, v.length() - 1));
        }
        return RbacMatchIr.exact(prefix + v);
    }

    /** A path: a URI template when it has {@code {*}} or {@code {**}}, else as {@link #wildcard}; {@code *} any. */
    private static RbacPermissionIr path(String v) {
        if (v.contains("{*}") || v.contains("{**}")) {
            return new RbacPermissionIr.UriTemplate(v);
        }
        return new RbacPermissionIr.UrlPath(v.equals("*") ? RbacMatchIr.regex(".+") : wildcard(v, ""));
    }

    /** A header value in a condition, matched in each comma-separated value of the header, as Istio does. */
    private static RbacMatchIr headerValue(String v) {
        if (v.equals("*")) {
            return RbacMatchIr.PRESENT;
        }
        String one = v.startsWith("*") ? ".*" + RbacMatchIr.quote(v.substring(1))
                : v.endsWith("*") ? RbacMatchIr.quote(v.substring(0, v.length() - 1)) + ".*" : RbacMatchIr.quote(v);
        return RbacMatchIr.regex("^" + one + "$|^" + one + ",.*|.*," + one + ",.*|.*," + one + "$");
    }

    /** A namespace as a regex on the peer's SPIFFE ID, {@code .../ns/<ns>/...}, as Istio matches it. */
    private static RbacPrincipalIr namespace(String v) {
        String ns = v.equals("*") ? ".*" : v.startsWith("*") ? ".*" + RbacMatchIr.quote(v.substring(1))
                : v.endsWith("*") ? RbacMatchIr.quote(v.substring(0, v.length() - 1)) + ".*" : RbacMatchIr.quote(v);
        return authenticated(RbacMatchIr.regex(".*/ns/" + ns + "/.*"));
    }

    private RbacPrincipalIr serviceAccount(String v) {
        int slash = v.indexOf('/');
        String ns = slash < 0 ? namespace : v.substring(0, slash);
        String sa = slash < 0 ? v : v.substring(slash + 1);
        return authenticated(RbacMatchIr.exact("spiffe://" + trustDomain + "/ns/" + ns + "/sa/" + sa));
    }

    private static RbacPrincipalIr trustDomain(String v) {
        if (v.equals("*")) {
            return authenticated(RbacMatchIr.regex(".+"));
        }
        if (v.startsWith("*")) {
            return authenticated(RbacMatchIr.regex("spiffe://.*" + RbacMatchIr.quote(v.substring(1)) + "/.*"));
        }
        return authenticated(v.endsWith("*") ? RbacMatchIr.prefix("spiffe://" + v.substring(0, v.length() - 1))
                : RbacMatchIr.prefix("spiffe://" + v + "/"));
    }

    private static RbacPrincipalIr authenticated(RbacMatchIr m) {
        return new RbacPrincipalIr.Authenticated(m);
    }

    private static RbacPrincipalIr ip(boolean direct, String cidr) {
        Cidr c = Cidr.parse(cidr);
        return new RbacPrincipalIr.SourceIp(direct, c.address(), c.prefixLen());
    }

    private static RbacPermissionIr destinationIp(String cidr) {
        Cidr c = Cidr.parse(cidr);
        return new RbacPermissionIr.DestinationIp(c.address(), c.prefixLen());
    }

    /** An address and prefix length from {@code a.b.c.d}, {@code a.b.c.d/n} or an IPv6 form (validated). */
    private record Cidr(String address, int prefixLen) {
        static Cidr parse(String v) {
            int slash = v.indexOf('/');
            if (slash >= 0) {
                return new Cidr(v.substring(0, slash), Integer.parseInt(v.substring(slash + 1)));
            }
            return new Cidr(v, IpLiterals.isIpv4(v) ? 32 : 128);
        }
    }
}
