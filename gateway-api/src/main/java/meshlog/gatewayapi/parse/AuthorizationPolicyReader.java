package meshlog.gatewayapi.parse;

import java.util.List;
import meshlog.gatewayapi.model.AuthorizationPolicy;
import meshlog.gatewayapi.model.AuthorizationPolicy.Action;
import meshlog.gatewayapi.model.AuthorizationPolicy.Condition;
import meshlog.gatewayapi.model.AuthorizationPolicy.Operation;
import meshlog.gatewayapi.model.AuthorizationPolicy.Provider;
import meshlog.gatewayapi.model.AuthorizationPolicy.Rule;
import meshlog.gatewayapi.model.AuthorizationPolicy.Source;
import meshlog.gatewayapi.model.ObjectMeta;

/**
 * Reads {@code AuthorizationPolicy.spec}. An empty {@code from}/{@code to} list and a null list item are reported
 * here (AP0105): in the model they would be indistinguishable from "not given", which matches every request.
 */
final class AuthorizationPolicyReader {

    static final String EMPTY_OR_NULL = "AP0105";

    private AuthorizationPolicyReader() {
    }

    static AuthorizationPolicy read(ObjectMeta meta, Fields spec) {
        var target = PolicyTargetReader.target(spec);
        Action action = EnumField.read(spec, "action", Action.class, Action.ALLOW);
        Provider provider = null;
        Fields p = spec.object("provider");
        if (p != null) {
            provider = new Provider(p.string("name"));
            p.end();
        }
        var rules = PolicyTargetReader.objectsNoNull(spec, "rules", EMPTY_OR_NULL, (f, i) -> rule(f));
        return new AuthorizationPolicy(meta, target, action, provider, rules);
    }

    private static Rule rule(Fields f) {
        PolicyTargetReader.nonEmptyIfGiven(f, "from", EMPTY_OR_NULL,
                "must not be empty; leave \"from\" out to match every source");
        PolicyTargetReader.nonEmptyIfGiven(f, "to", EMPTY_OR_NULL,
                "must not be empty; leave \"to\" out to match every operation");
        var from = PolicyTargetReader.objectsNoNull(f, "from", EMPTY_OR_NULL, (e, i) -> {
            Fields s = e.object("source");
            Source source = s == null ? emptySource() : source(s);
            if (s != null) {
                s.end();
            }
            return source;
        });
        var to = PolicyTargetReader.objectsNoNull(f, "to", EMPTY_OR_NULL, (e, i) -> {
            Fields o = e.object("operation");
            Operation operation = o == null ? emptyOperation() : operation(o);
            if (o != null) {
                o.end();
            }
            return operation;
        });
        var when = f.objects("when", (c, i) -> new Condition(c.string("key"), c.strings("values"),
                c.strings("notValues")));
        return new Rule(from, to, when);
    }

    private static Source source(Fields s) {
        return new Source(s.strings("principals"), s.strings("notPrincipals"), s.strings("requestPrincipals"),
                s.strings("notRequestPrincipals"), s.strings("namespaces"), s.strings("notNamespaces"),
                s.strings("serviceAccounts"), s.strings("notServiceAccounts"), s.strings("ipBlocks"),
                s.strings("notIpBlocks"), s.strings("remoteIpBlocks"), s.strings("notRemoteIpBlocks"),
                s.strings("trustDomains"), s.strings("notTrustDomains"));
    }

    private static Operation operation(Fields o) {
        return new Operation(o.strings("hosts"), o.strings("notHosts"), o.strings("ports"), o.strings("notPorts"),
                o.strings("methods"), o.strings("notMethods"), o.strings("paths"), o.strings("notPaths"));
    }

    private static Source emptySource() {
        List<String> none = List.of();
        return new Source(none, none, none, none, none, none, none, none, none, none, none, none, none, none);
    }

    private static Operation emptyOperation() {
        List<String> none = List.of();
        return new Operation(none, none, none, none, none, none, none, none);
    }
}
