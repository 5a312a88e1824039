package meshlog.gatewayapi.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.Diagnostic.Severity;
import meshlog.gatewayapi.ResourceKey;
import meshlog.gatewayapi.coverage.Coverage;
import meshlog.gatewayapi.coverage.KindRow;
import meshlog.gatewayapi.model.AuthorizationPolicy;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.Gateway;
import meshlog.gatewayapi.model.KubeGateway;
import meshlog.gatewayapi.model.KubeGrpcRoute;
import meshlog.gatewayapi.model.KubeHttpRoute;
import meshlog.gatewayapi.model.KubeReferenceGrant;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.model.PeerAuthentication;
import meshlog.gatewayapi.model.RequestAuthentication;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.WorkloadEntry;
import meshlog.gatewayapi.parse.ParsedResource;

/**
 * Semantic rules over parsed objects, each alone (Istio's validating webhook) and all together (the repository is
 * validated as a whole, like {@code istioctl analyze}). Rules name the field path; the position comes from the
 * object's document.
 */
public final class ConfigValidator {

    private ConfigValidator() {
    }

    public static List<Diagnostic> validate(List<ParsedResource> resources) {
        List<Diagnostic> out = new ArrayList<>();
        Map<ResourceKey, ParsedResource> seen = new HashMap<>();
        for (ParsedResource p : resources) {
            ParsedResource first = seen.putIfAbsent(p.resource().key(), p);
            if (first != null) {
                out.add(at(p, "ML0009", Severity.ERROR, "", "defined twice: also at " + first.file() + ":"
                        + first.line()));
            }
        }
        for (ParsedResource p : resources) {
            Findings f = new Findings(p, out);
            MetadataRules.check(p.resource(), f);
            checkOne(p.resource(), f);
            // What is applied is one table (Coverage), which docs/config.md is generated from too.
            KindRow kind = Coverage.kind(p.resource().getClass());
            if (kind.translated()) {
                AppliedFields.report(kind.name(), f);
            } else {
                f.warning("ML0012", "", "valid, but meshlog does not apply " + p.resource().kind()
                        + " objects to proxies yet" + (kind.security() ? "; this policy is NOT enforced" : ""));
            }
        }
        CrossResourceRules.check(resources, out);
        return out;
    }

    private static void checkOne(MeshResource r, Findings f) {
        if (r instanceof VirtualService vs) {
            VirtualServiceRules.check(f.resource(), vs, f.out());
        } else if (r instanceof DestinationRule dr) {
            DestinationRuleRules.check(f.resource(), dr, f.out());
        } else if (r instanceof ServiceEntry se) {
            ServiceEntryRules.check(f.resource(), se, f.out());
        } else if (r instanceof WorkloadEntry we) {
            WorkloadEntryRules.check(we, f);
        } else if (r instanceof Gateway gw) {
            GatewayRules.check(gw, f);
        } else if (r instanceof Sidecar sc) {
            SidecarRules.check(sc, f);
        } else if (r instanceof PeerAuthentication pa) {
            PeerAuthenticationRules.check(pa, f);
        } else if (r instanceof AuthorizationPolicy ap) {
            AuthorizationPolicyRules.check(ap, f);
        } else if (r instanceof RequestAuthentication ra) {
            RequestAuthenticationRules.check(ra, f);
        } else if (r instanceof KubeGateway kg) {
            KubeGatewayRules.check(kg, f);
        } else if (r instanceof KubeHttpRoute hr) {
            KubeHttpRouteRules.check(hr, f);
        } else if (r instanceof KubeGrpcRoute gr) {
            KubeGrpcRouteRules.check(gr, f);
        } else if (r instanceof KubeReferenceGrant rg) {
            KubeReferenceGrantRules.check(rg, f);
        }
    }

    /** A diagnostic at the line of the field {@code path} in {@code p}'s document (or its nearest parent). */
    static Diagnostic at(ParsedResource p, String code, Severity severity, String path, String message) {
        int[] pos = p.positionOf(path);
        return new Diagnostic(code, severity, p.file(), pos[0], pos[1], p.resource().key().toString(), path,
                message);
    }
}
