package meshlog.reconciler.xds;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import meshlog.reconciler.ir.RbacFilterIr;
import meshlog.reconciler.ir.RbacMatchIr;
import meshlog.reconciler.ir.RbacPermissionIr;
import meshlog.reconciler.ir.RbacPrincipalIr;

/**
 * {@link RbacFilterIr} as Envoy's RBAC HTTP filter ({@code envoy.filters.http.rbac}) or network filter
 * ({@code envoy.filters.network.rbac}, stat prefix {@code tcp.}), as Istio writes them: enforced policies as
 * {@code rules}, dry-run ones as {@code shadow_rules} with Istio's stat prefixes. Envoy answers a denied HTTP
 * request 403 {@code RBAC: access denied}, and closes a denied TCP connection.
 */
final class RbacBuilder {

    static final String HTTP_FILTER = "envoy.filters.http.rbac";
    static final String NETWORK_FILTER = "envoy.filters.network.rbac";
    static final String TCP_STAT_PREFIX = "tcp.";

    private RbacBuilder() {
    }

    static HttpFilter http(RbacFilterIr ir) {
        var rbac = io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder();
        if (ir.enforced()) {
            rbac.setRules(rules(ir.action(), ir.policies()));
        }
        if (!ir.shadow().isEmpty()) {
            rbac.setShadowRules(rules(ir.action(), ir.shadow())).setShadowRulesStatPrefix(shadowPrefix(ir.action()));
        }
        return HttpFilter.newBuilder().setName(HTTP_FILTER).setTypedConfig(Protos.pack(rbac.build())).build();
    }

    static List<Filter> network(List<RbacFilterIr> filters) {
        return filters.stream().map(RbacBuilder::network).toList();
    }

    private static Filter network(RbacFilterIr ir) {
        var rbac = io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
                .setStatPrefix(TCP_STAT_PREFIX);
        if (ir.enforced()) {
            rbac.setRules(rules(ir.action(), ir.policies()));
        }
        if (!ir.shadow().isEmpty()) {
            rbac.setShadowRules(rules(ir.action(), ir.shadow())).setShadowRulesStatPrefix(shadowPrefix(ir.action()));
        }
        return Filter.newBuilder().setName(NETWORK_FILTER).setTypedConfig(Protos.pack(rbac.build())).build();
    }

    /** Istio's prefixes of the shadow rules' stats and dynamic metadata; none for AUDIT. */
    private static String shadowPrefix(RbacFilterIr.Action action) {
        return switch (action) {
            case ALLOW -> "istio_dry_run_allow_";
            case DENY -> "istio_dry_run_deny_";
            case LOG -> "";
        };
    }

    private static RBAC rules(RbacFilterIr.Action action, List<RbacFilterIr.Policy> policies) {
        RBAC.Builder rules = RBAC.newBuilder().setAction(switch (action) {
            case ALLOW -> RBAC.Action.ALLOW;
            case DENY -> RBAC.Action.DENY;
            case LOG -> RBAC.Action.LOG;
        });
        for (RbacFilterIr.Policy p : policies) {
            Policy.Builder policy = Policy.newBuilder();
            p.permissions().forEach(x -> policy.addPermissions(permission(x)));
            p.principals().forEach(x -> policy.addPrincipals(principal(x)));
            rules.putPolicies(p.name(), policy.build());
        }
        return rules.build();
    }

    private static Permission permission(RbacPermissionIr ir) {
        Permission.Builder p = Permission.newBuilder();
        if (ir instanceof RbacPermissionIr.Any) {
            p.setAny(true);
        } else if (ir instanceof RbacPermissionIr.And and) {
            p.setAndRules(Permission.Set.newBuilder().addAllRules(and.rules().stream()
                    .map(RbacBuilder::permission).toList()));
        } else if (ir instanceof RbacPermissionIr.Or or) {
            p.setOrRules(Permission.Set.newBuilder().addAllRules(or.rules().stream()
                    .map(RbacBuilder::permission).toList()));
        } else if (ir instanceof RbacPermissionIr.Not not) {
            p.setNotRule(permission(not.rule()));
        } else if (ir instanceof RbacPermissionIr.Header h) {
            p.setHeader(header(h.name(), h.match()));
        } else if (ir instanceof RbacPermissionIr.UrlPath u) {
            p.setUrlPath(PathMatcher.newBuilder().setPath(string(u.match())));
        } else if (ir instanceof RbacPermissionIr.UriTemplate t) {
            // Istio writes Envoy's uri_template matcher here; Envoy 1.40 aborts (std::terminate, at config load
            // and on an LDS update alike) on any RBAC uri_template with an operator, as a real Envoy showed here.
            // The same match as RE2 over the path instead.
            p.setUrlPath(PathMatcher.newBuilder().setPath(StringMatcher.newBuilder().setSafeRegex(
                    RegexMatcher.newBuilder().setRegex(templateRegex(t.template())))));
        } else if (ir instanceof RbacPermissionIr.DestinationPort d) {
            p.setDestinationPort(d.port());
        } else if (ir instanceof RbacPermissionIr.DestinationIp d) {
            p.setDestinationIp(cidr(d.address(), d.prefixLen()));
        } else if (ir instanceof RbacPermissionIr.ServerName s) {
            p.setRequestedServerName(string(s.match()));
        } else {
            throw new AssertionError(ir);
        }
        return p.build();
    }

    private static Principal principal(RbacPrincipalIr ir) {
        Principal.Builder p = Principal.newBuilder();
        if (ir instanceof RbacPrincipalIr.Any) {
            p.setAny(true);
        } else if (ir instanceof RbacPrincipalIr.And and) {
            p.setAndIds(Principal.Set.newBuilder().addAllIds(and.ids().stream().map(RbacBuilder::principal).toList()));
        } else if (ir instanceof RbacPrincipalIr.Or or) {
            p.setOrIds(Principal.Set.newBuilder().addAllIds(or.ids().stream().map(RbacBuilder::principal).toList()));
        } else if (ir instanceof RbacPrincipalIr.Not not) {
            p.setNotId(principal(not.id()));
        } else if (ir instanceof RbacPrincipalIr.Authenticated a) {
            p.setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(string(a.principal())));
        } else if (ir instanceof RbacPrincipalIr.SourceIp ip) {
            CidrRange range = cidr(ip.address(), ip.prefixLen());
            if (ip.direct()) {
                p.setDirectRemoteIp(range);
            } else {
                p.setRemoteIp(range);
            }
        } else if (ir instanceof RbacPrincipalIr.Header h) {
            p.setHeader(header(h.name(), h.match()));
        } else if (ir instanceof RbacPrincipalIr.JwtClaim c) {
            p.setMetadata(JwtAuthnBuilder.claim(c, RbacBuilder::string));
        } else {
            throw new AssertionError(ir);
        }
        return p.build();
    }

    /**
     * A URI template as RE2, as Envoy's matcher reads it: {@code {*}} one path segment (one or more characters but
     * {@code /}), {@code {**}} any rest, slashes included; other segments literally.
     */
    static String templateRegex(String template) {
        StringBuilder re = new StringBuilder();
        String[] segments = template.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String seg = segments[i];
            re.append(i == 0 ? "" : "/").append(seg.equals("{*}") ? "[^/]+" : seg.equals("{**}") ? ".*" : RbacMatchIr.quote(seg));
        }
        return re.toString();
    }

    private static HeaderMatcher header(String name, RbacMatchIr m) {
        HeaderMatcher.Builder h = HeaderMatcher.newBuilder().setName(name);
        return (m.kind() == RbacMatchIr.Kind.PRESENT ? h.setPresentMatch(true) : h.setStringMatch(string(m))).build();
    }

    static StringMatcher string(RbacMatchIr m) {
        StringMatcher.Builder s = StringMatcher.newBuilder().setIgnoreCase(m.ignoreCase());
        return switch (m.kind()) {
            case EXACT -> s.setExact(m.value()).build();
            case PREFIX -> s.setPrefix(m.value()).build();
            case SUFFIX -> s.setSuffix(m.value()).build();
            case REGEX -> s.setSafeRegex(RegexMatcher.newBuilder().setRegex(m.value())).build();
            // A string matcher cannot say "present"; any non-empty value is what Istio's {@code *} means.
            case PRESENT -> s.setSafeRegex(RegexMatcher.newBuilder().setRegex(".+")).build();
        };
    }

    private static CidrRange cidr(String address, int prefixLen) {
        return CidrRange.newBuilder().setAddressPrefix(address).setPrefixLen(UInt32Value.of(prefixLen)).build();
    }
}
