package meshlog.gatewayapi.coverage;

import static meshlog.gatewayapi.coverage.Applied.MOOT;
import static meshlog.gatewayapi.coverage.Applied.NO;
import static meshlog.gatewayapi.coverage.Applied.YES;

import java.util.ArrayList;
import java.util.List;
import meshlog.gatewayapi.model.AuthorizationPolicy;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.Gateway;
import meshlog.gatewayapi.model.KubeGateway;
import meshlog.gatewayapi.model.KubeGrpcRoute;
import meshlog.gatewayapi.model.KubeHttpRoute;
import meshlog.gatewayapi.model.KubeReferenceGrant;
import meshlog.gatewayapi.model.KubeService;
import meshlog.gatewayapi.model.MeshCluster;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.model.PeerAuthentication;
import meshlog.gatewayapi.model.RequestAuthentication;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.Sidecar;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.WorkloadEntry;

/**
 * What meshlog's reconciler applies, in one place: per kind, per field, per proxy kind. The validator reads it to
 * warn about what is not applied ({@code ML0011} for a field, {@code ML0012} for a kind), docs/config.md's
 * coverage section is generated from it ({@link CoverageMarkdown}), and a reconciler test proves that every field
 * it calls applied changes the translated output of that proxy kind. A field not listed is applied silently where
 * it is read, so list every field users write; one row per field (or per kind of value, with a variant).
 */
public final class Coverage {

    static final String VS = "VirtualService";
    static final String DR = "DestinationRule";
    static final String SE = "ServiceEntry";
    static final String WE = "WorkloadEntry";
    static final String SC = "Sidecar";
    static final String CL = "Cluster";
    static final String GW = "Gateway";
    private static final String TP = FieldRow.TRAFFIC_POLICY;
    private static final String GRPC_LB = "grpc-java is not claimed to apply it (not tested)";
    private static final String GRPC_IGNORES = "sent; grpc-java ignores it";

    /** Every kind meshlog reads, in the order the docs list them. */
    public static final List<KindRow> KINDS = List.of(
            new KindRow(VirtualService.class, VS, true, false, ""),
            new KindRow(DestinationRule.class, DR, true, false, ""),
            new KindRow(ServiceEntry.class, SE, true, false, ""),
            new KindRow(WorkloadEntry.class, WE, true, false, "as endpoints of the ServiceEntries that select it"),
            new KindRow(Sidecar.class, SC, true, false, "to Envoy sidecars only"),
            new KindRow(MeshCluster.class, CL, true, false, "meshlog's own kind (`meshlog.dev/v1alpha1`)"),
            new KindRow(KubeService.class, "Service", true, false,
                    "read for its name only: the host `<name>.<namespace>.svc.cluster.local` for the checks"
                            + " across the repository"),
            new KindRow(Gateway.class, GW, true, false, "to Envoy gateways (node id `router~...`) whose labels its"
                    + " `selector` matches"),
            new KindRow(PeerAuthentication.class, "PeerAuthentication", true, true,
                    "enforced on Envoy sidecars' inbound listeners (proxyless gRPC clients have no inbound side)"),
            new KindRow(AuthorizationPolicy.class, AuthorizationCoverage.AP, true, true,
                    "enforced on Envoy sidecars' inbound listeners (RBAC filters); not on proxyless gRPC servers;"
                            + " a field no proxy kind is given is refused (`ML0017`), not warned about"),
            new KindRow(RequestAuthentication.class, RequestAuthenticationCoverage.RA, true, true,
                    "enforced on Envoy sidecars' inbound HTTP listeners (the JWT filter, before RBAC); not on"
                            + " proxyless gRPC servers nor gateways; a field no proxy kind is given is refused (`ML0017`)"),
            new KindRow(KubeGateway.class, "Gateway (gateway.networking.k8s.io)", true, false,
                    "class `istio`, HTTP listeners: converted as Istio converts them, to the Envoy gateway labelled"
                            + " `gateway.networking.k8s.io/gateway-name`; status conditions in `/api/status`"
                            + " (docs/config.md, \"Kubernetes Gateway API\"); field rows not yet listed"),
            new KindRow(KubeHttpRoute.class, "HTTPRoute", true, false, "attached to such Gateways: matches, weights,"
                    + " header, redirect, rewrite and mirror filters (docs/config.md); field rows not yet listed"),
            new KindRow(KubeGrpcRoute.class, "GRPCRoute", false, false, "validated and recorded only"),
            new KindRow(KubeReferenceGrant.class, "ReferenceGrant", false, false, "validated and recorded only"));

    /** Every field row, kind by kind. */
    public static final List<FieldRow> FIELDS = fields();

    private Coverage() {
    }

    /** The row of a model type. */
    public static KindRow kind(Class<? extends MeshResource> type) {
        return KINDS.stream().filter(k -> k.type() == type).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no coverage row for " + type.getSimpleName()));
    }

    /** The field rows of one kind, by {@link KindRow#name()}. */
    public static List<FieldRow> fieldsOf(String kind) {
        return FIELDS.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    private static List<FieldRow> fields() {
        List<FieldRow> out = new ArrayList<>();
        virtualService(out);
        destinationRule(out);
        serviceEntry(out);
        workloadEntry(out);
        sidecar(out);
        GatewayCoverage.rows(out);
        peerAuthentication(out);
        AuthorizationCoverage.add(out);
        RequestAuthenticationCoverage.add(out);
        out.add(both(CL, "spec.network", "endpoints on another network are left out (no east-west gateways yet)"));
        out.add(both(CL, "spec.locality", "with outlier detection, endpoint priorities by locality"));
        out.add(row(CL, "spec.defaultServiceExportTo", YES, NO, "MeshConfig's, for this cluster's sidecars and gateways: services"
                + " (ServiceEntries, Kubernetes Services) without exportTo; none: `*`"));
        out.add(row(CL, "spec.defaultVirtualServiceExportTo", YES, NO, "likewise for VirtualServices (and"
                + " delegation: `*`)"));
        out.add(row(CL, "spec.defaultDestinationRuleExportTo", YES, NO, "likewise for DestinationRules"));
        return List.copyOf(out);
    }

    private static void virtualService(List<FieldRow> out) {
        String h = "spec.http[]";
        String m = h + ".match[]";
        out.add(both(VS, "spec.hosts[]", ""));
        out.add(no(VS, "spec.hosts[]", "wildcard", When.startsWith("*"), ""));
        out.add(row(VS, "spec.gateways[]", "`mesh`", When.equalTo("mesh"), YES, YES, "a VirtualService applies to proxies only with `mesh` (or no"
                + " gateways)"));
        out.add(row(VS, "spec.gateways[]", "a gateway", When.not(When.equalTo("mesh")), YES, NO, "served by the"
                + " gateways that Gateway selects, for the hosts its servers take"));
        When delegate = When.inSpec(spec -> spec.path("hosts").isEmpty());
        out.add(row(VS, "spec.exportTo", "with hosts", When.and(When.NON_EMPTY, When.not(delegate)), YES, NO,
                "sidecars of the namespaces it names are routed by it (none: every namespace); gateways: the"
                        + " Gateway's namespace must be exported to; gRPC: every namespace's clients"));
        out.add(both(VS, "spec.exportTo", "a delegate's (no hosts)", When.and(When.NON_EMPTY, delegate),
                "which roots may delegate to it (`XR0009`)"));
        out.add(both(VS, h + ".name", "the route's name"));
        out.add(both(VS, m + ".uri", "exact, prefix, regex"));
        out.add(both(VS, m + ".ignoreUriCase", ""));
        out.add(both(VS, m + ".headers", "a value, or present `{}`; gRPC: as metadata"));
        out.add(no(VS, m + ".headers.*", "a JWT claim", When.pathContains(".headers.@request.auth.claims."),
                "Istio routes on JWT claims at gateways only; meshlog's gateways have no JWT filter"));
        out.add(both(VS, m + ".withoutHeaders", "inverted header matches"));
        out.add(both(VS, m + ".method", "Envoy: `:method`; gRPC: metadata"));
        out.add(both(VS, m + ".authority", "Envoy: `:authority`; gRPC: metadata"));
        out.add(both(VS, m + ".scheme", "Envoy: `:scheme`; gRPC: metadata"));
        out.add(row(VS, m + ".queryParams", YES, NO, "gRPC: the entry is left out (calls have no query)"));
        out.add(both(VS, m + ".port", "the entry is left out for another port"));
        out.add(both(VS, m + ".gateways", "the entry is left out when `mesh` is not named"));
        out.add(row(VS, m + ".sourceLabels", YES, NO, "compared with the proxy's labels; gRPC: the entry is left"
                + " out (gRPC scopes have no labels)"));
        out.add(both(VS, m + ".sourceNamespace", "compared with the proxy's namespace (gRPC: the client's,"
                + " scope `grpc~<ns>`)"));
        out.add(no(VS, m + ".statPrefix", When.NON_EMPTY, "no per-route stats"));
        out.add(both(VS, h + ".route[].destination.host", ""));
        out.add(both(VS, h + ".route[].destination.subset", ""));
        out.add(both(VS, h + ".route[].destination.port", ""));
        out.add(both(VS, h + ".route[].weight", ""));
        out.add(no(VS, h + ".route[].headers", When.WRITTEN, "per-destination header changes"));
        for (String f : List.of("uri", "authority", "port", "scheme", "redirectCode")) {
            out.add(row(VS, h + ".redirect." + f, YES, NO, "gRPC: the call fails (clients follow no redirect)"));
        }
        out.add(no(VS, h + ".redirect.derivePort", When.WRITTEN, ""));
        out.add(row(VS, h + ".directResponse", YES, NO, "gRPC: the call fails; it never reaches a backend"));
        for (String f : List.of("uri", "authority", "uriRegexRewrite")) {
            out.add(row(VS, h + ".rewrite." + f, YES, NO, GRPC_IGNORES));
        }
        out.add(both(VS, h + ".timeout", "gRPC: the route's `max_stream_duration` (DEADLINE_EXCEEDED)"));
        out.add(both(VS, h + ".retries.attempts", ""));
        out.add(both(VS, h + ".retries.retryOn", "gRPC: the gRPC codes it names"));
        out.add(row(VS, h + ".retries.perTryTimeout", YES, NO, GRPC_IGNORES));
        out.add(no(VS, h + ".retries.retryRemoteLocalities", When.WRITTEN, ""));
        out.add(no(VS, h + ".retries.retryIgnorePreviousHosts", When.WRITTEN, "other hosts are always tried first"));
        out.add(no(VS, h + ".retries.backoff", When.WRITTEN, "Envoy's default backoff (25 ms)"));
        out.add(both(VS, h + ".fault.delay.fixedDelay", ""));
        out.add(both(VS, h + ".fault.delay.percentage", ""));
        out.add(no(VS, h + ".fault.delay.exponentialDelay", When.WRITTEN, ""));
        out.add(both(VS, h + ".fault.abort.httpStatus", ""));
        out.add(both(VS, h + ".fault.abort.grpcStatus", ""));
        out.add(both(VS, h + ".fault.abort.percentage", ""));
        out.add(no(VS, h + ".fault.abort.http2Error", When.WRITTEN, ""));
        out.add(row(VS, h + ".mirror", YES, NO, GRPC_IGNORES));
        out.add(row(VS, h + ".mirrors", YES, NO, GRPC_IGNORES));
        out.add(row(VS, h + ".mirrorPercentage", YES, NO, GRPC_IGNORES));
        out.add(row(VS, h + ".mirrorPercent", YES, NO, "deprecated; `mirrorPercentage` wins; " + GRPC_IGNORES));
        out.add(row(VS, h + ".corsPolicy", YES, NO, "all its fields but `unmatchedPreflights`; gRPC: not"
                + " applicable"));
        out.add(no(VS, h + ".corsPolicy.unmatchedPreflights", When.WRITTEN, ""));
        out.add(row(VS, h + ".headers.request", YES, NO, "set, add, remove; " + GRPC_IGNORES));
        out.add(row(VS, h + ".headers.response", YES, NO, "set, add, remove; " + GRPC_IGNORES));
        out.add(both(VS, h + ".delegate", "replaced by the delegate's routes, merged as Istio merges them"
                + " (below)"));
        String tcp = "spec.tcp[]";
        out.add(row(VS, tcp + ".match[].destinationSubnets", YES, NO, "gRPC clients open no TCP connections"));
        out.add(row(VS, tcp + ".match[].sourceSubnet", YES, NO, "gRPC clients open no TCP connections"));
        out.add(row(VS, tcp + ".match[].port", YES, NO, "gRPC clients open no TCP connections"));
        out.add(row(VS, tcp + ".route[].destination", YES, NO, "gRPC clients open no TCP connections"));
        out.add(row(VS, tcp + ".route[].weight", YES, NO, "tcp_proxy `weighted_clusters`"));
        String tls = "spec.tls[]";
        out.add(row(VS, tls + ".match[].sniHosts", YES, NO, "`server_names`; gRPC clients open no TLS connections"));
        out.add(row(VS, tls + ".match[].destinationSubnets", YES, NO, "gRPC clients open no TLS connections"));
        out.add(row(VS, tls + ".route[].destination", YES, NO, "gRPC clients open no TLS connections"));
    }

    private static void destinationRule(List<FieldRow> out) {
        out.add(both(DR, "spec.host", ""));
        out.add(both(DR, "spec.subsets[].name", ""));
        out.add(both(DR, "spec.subsets[].labels", "select the subset's endpoints"));
        out.add(no(DR, "spec.workloadSelector", When.WRITTEN, "a rule applies to every proxy"));
        out.add(row(DR, "spec.exportTo", YES, NO, "sidecars and gateways: Istio's lookup (the proxy's namespace,"
                + " the service's, then istio-system) among the rules exported to the proxy's; gRPC: the first rule"
                + " by namespace/name for the host"));
        String lb = TP + ".loadBalancer";
        out.add(row(DR, lb + ".simple", YES, NO, GRPC_LB));
        out.add(both(DR, lb + ".consistentHash.httpHeaderName", "ring hash on the header (the route's hash policy)"));
        out.add(row(DR, lb + ".consistentHash.httpCookie", YES, NO, GRPC_LB));
        out.add(row(DR, lb + ".consistentHash.useSourceIp", YES, NO, GRPC_LB));
        out.add(row(DR, lb + ".consistentHash.httpQueryParameterName", YES, NO, GRPC_LB));
        out.add(row(DR, lb + ".consistentHash.ringHash", YES, NO, "`minimumRingSize`; " + GRPC_LB));
        out.add(row(DR, lb + ".consistentHash.maglev", YES, NO, "`tableSize`; grpc-java has no maglev"));
        out.add(row(DR, lb + ".consistentHash.minimumRingSize", YES, NO, GRPC_LB));
        for (String f : List.of("localityLbSetting", "zoneAwareLbSetting", "warmupDurationSecs", "warmup")) {
            out.add(no(DR, lb + "." + f, When.WRITTEN, ""));
        }
        String pool = TP + ".connectionPool";
        String cb = "grpc-java did not enforce it in meshlog's test";
        for (String f : List.of("tcp.maxConnections", "tcp.connectTimeout", "http.http1MaxPendingRequests",
                "http.http2MaxRequests", "http.maxRequestsPerConnection", "http.maxRetries", "http.idleTimeout")) {
            out.add(row(DR, pool + "." + f, YES, NO, f.equals("http.http2MaxRequests") ? cb : ""));
        }
        for (String f : List.of("tcp.tcpKeepalive", "tcp.maxConnectionDuration", "tcp.idleTimeout",
                "http.h2UpgradePolicy", "http.useClientProtocol", "http.maxConcurrentStreams", "http.http2KeepAlive")) {
            out.add(no(DR, pool + "." + f, When.WRITTEN, ""));
        }
        String od = TP + ".outlierDetection";
        String noEjection = "grpc-java has no consecutive-error ejection (gRFC A50 is success rate)";
        for (String f : List.of("consecutive5xxErrors", "consecutiveErrors", "consecutiveGatewayErrors",
                "consecutiveLocalOriginFailures", "interval", "baseEjectionTime", "maxEjectionPercent",
                "minHealthPercent")) {
            out.add(row(DR, od + "." + f, YES, NO, f.equals("consecutive5xxErrors") ? noEjection
                    : f.equals("consecutiveLocalOriginFailures") ? "with `splitExternalLocalOriginErrors: true`"
                    + " (required, DR0022), which sets Envoy's split" : ""));
        }
        out.add(no(DR, od + ".outlierDetectionHttpErrorCodes", When.NON_EMPTY, ""));
        String tls = TP + ".tls";
        String noGrpc = "gRPC: not applied (no xDS credentials for proxyless clients)";
        out.add(row(DR, tls + ".mode", YES, NO, "DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL; none written: auto mTLS; "
                + noGrpc));
        for (String f : List.of("clientCertificate", "privateKey", "caCertificates", "caCrl")) {
            out.add(row(DR, tls + "." + f, YES, NO, "a file Envoy reads itself; " + noGrpc));
        }
        out.add(row(DR, tls + ".subjectAltNames", YES, NO, "exact URI (`spiffe://`) or DNS SAN match; " + noGrpc));
        out.add(row(DR, tls + ".sni", YES, NO, noGrpc));
        out.add(row(DR, tls + ".insecureSkipVerify", YES, NO, noGrpc));
        out.add(no(DR, tls + ".credentialName", When.NON_EMPTY, "no SDS for Kubernetes secrets yet: without files, "
                + "no client certificate and the system's roots"));
        for (String f : List.of("tunnel", "proxyProtocol", "retryBudget")) {
            out.add(no(DR, TP + "." + f, When.WRITTEN, ""));
        }
        out.add(both(DR, "spec.trafficPolicy.portLevelSettings[].port", "which port the settings are for"));
    }

    private static void serviceEntry(List<FieldRow> out) {
        out.add(both(SE, "spec.hosts[]", ""));
        out.add(row(SE, "spec.addresses[]", "an IP address", When.not(When.contains("/")), YES, NO,
                "the service's VIPs (virtual host domains, TCP listener addresses); gRPC dials names"));
        out.add(no(SE, "spec.addresses[]", "a CIDR range", When.contains("/"), ""));
        out.add(both(SE, "spec.ports[].number", ""));
        out.add(both(SE, "spec.ports[].name", "the key of endpoints' `ports`"));
        out.add(row(SE, "spec.ports[].protocol", YES, NO, "HTTP, HTTP2/GRPC (HTTP/2 upstream), TCP, TLS; gRPC: every"
                + " port is called over HTTP/2"));
        out.add(both(SE, "spec.ports[].targetPort", "the endpoints' port when they name none"));
        out.add(row(SE, "spec.location", MOOT, MOOT, "MESH_INTERNAL and MESH_EXTERNAL differ in mTLS and"
                + " telemetry, which meshlog serves no proxy yet"));
        out.add(both(SE, "spec.resolution", "STATIC, DNS, DNS_ROUND_ROBIN, NONE; gRPC: EDS with the IP endpoints"));
        out.add(no(SE, "spec.resolution", "DYNAMIC_DNS", When.equalTo("DYNAMIC_DNS"), "EDS with no endpoints"));
        out.add(both(SE, "spec.endpoints[].address", ""));
        out.add(both(SE, "spec.endpoints[].ports", ""));
        out.add(both(SE, "spec.endpoints[].labels", "select DestinationRule subsets"));
        out.add(both(SE, "spec.endpoints[].locality", ""));
        out.add(row(SE, "spec.endpoints[].weight", YES, NO, "sent in EDS; grpc-java's round robin ignores it"));
        out.add(both(SE, "spec.endpoints[].network", "an endpoint on another network is left out"));
        out.add(row(SE, "spec.endpoints[].serviceAccount", YES, NO, "the identity (mTLS) SAN clients check"));
        out.add(both(SE, "spec.workloadSelector", "the WorkloadEntries of its namespace are its endpoints"));
        out.add(row(SE, "spec.exportTo", YES, NO, "sidecars and gateways of the namespaces it names see the"
                + " service (`~`: none); gRPC: every namespace's clients"));
        out.add(no(SE, "spec.subjectAltNames", When.NON_EMPTY, "waits for mTLS"));
    }

    private static void workloadEntry(List<FieldRow> out) {
        out.add(both(WE, "spec.address", ""));
        out.add(both(WE, "spec.ports", ""));
        out.add(both(WE, "spec.labels", "matched by ServiceEntry `workloadSelector`s and subsets"));
        out.add(both(WE, "spec.locality", ""));
        out.add(row(WE, "spec.weight", YES, NO, "sent in EDS; grpc-java's round robin ignores it"));
        out.add(both(WE, "spec.network", "an endpoint on another network is left out"));
        out.add(row(WE, "spec.serviceAccount", YES, NO, "the identity (mTLS) SAN clients check"));
    }

    private static void sidecar(List<FieldRow> out) {
        String none = "proxyless gRPC clients get no Sidecar";
        out.add(row(SC, "spec.workloadSelector", YES, NO, "which Sidecar a proxy gets; " + none));
        out.add(row(SC, "spec.egress[].hosts", YES, NO, "which services a proxy sees"));
        out.add(row(SC, "spec.egress[].port", "a port number", When.not(SidecarPorts.UNIX), YES, NO, ""));
        out.add(no(SC, "spec.egress[].port", "a Unix socket (no number)", SidecarPorts.UNIX, ""));
        out.add(no(SC, "spec.egress[].bind", When.WRITTEN, ""));
        out.add(no(SC, "spec.egress[].captureMode", When.WRITTEN, ""));
        out.add(row(SC, "spec.outboundTrafficPolicy.mode", YES, NO, "ALLOW_ANY, REGISTRY_ONLY"));
        out.add(no(SC, "spec.outboundTrafficPolicy.egressProxy", When.WRITTEN, ""));
        out.add(row(SC, "spec.ingress[].port", YES, NO, ""));
        out.add(row(SC, "spec.ingress[].bind", "an IP address", When.not(When.startsWith("unix://")), YES, NO, ""));
        out.add(no(SC, "spec.ingress[].bind", "a Unix socket", When.startsWith("unix://"), ""));
        out.add(row(SC, "spec.ingress[].captureMode", YES, NO, ""));
        out.add(row(SC, "spec.ingress[].defaultEndpoint", YES, NO, "an IP and port, `0.0.0.0:P` or a Unix socket"));
        out.add(no(SC, "spec.ingress[].tls", When.WRITTEN, ""));
        out.add(no(SC, "spec.ingress[].connectionPool", When.WRITTEN, ""));
        out.add(no(SC, "spec.inboundConnectionPool", When.WRITTEN, ""));
    }

    private static void peerAuthentication(List<FieldRow> out) {
        String pa = "PeerAuthentication";
        String inbound = "proxyless gRPC clients have no inbound side";
        out.add(row(pa, "spec.selector", YES, MOOT, "the workload policy; none: namespace-wide (mesh-wide in"
                + " istio-system)"));
        out.add(row(pa, "spec.mtls.mode", YES, MOOT, "STRICT, PERMISSIVE, DISABLE; UNSET inherits; " + inbound));
        out.add(row(pa, "spec.portLevelMtls", YES, MOOT, "per workload port; " + inbound));
    }

    static FieldRow both(String kind, String path, String note) {
        return new FieldRow(kind, path, "", YES, YES, note, When.WRITTEN);
    }

    static FieldRow both(String kind, String path, String variant, When when, String note) {
        return new FieldRow(kind, path, variant, YES, YES, note, when);
    }

    static FieldRow row(String kind, String path, Applied envoy, Applied grpc, String note) {
        return new FieldRow(kind, path, "", envoy, grpc, note, When.WRITTEN);
    }

    static FieldRow row(String kind, String path, String variant, When when, Applied envoy, Applied grpc,
                                String note) {
        return new FieldRow(kind, path, variant, envoy, grpc, note, when);
    }

    static FieldRow no(String kind, String path, When when, String note) {
        return new FieldRow(kind, path, "", NO, NO, note, when);
    }

    static FieldRow no(String kind, String path, String variant, When when, String note) {
        return new FieldRow(kind, path, variant, NO, NO, note, when);
    }

    /** An egress listener's port without a number is a Unix socket's. */
    private static final class SidecarPorts {
        static final When UNIX = (spec, path, value) -> value.isObject()
                && (!value.has("number") || value.get("number").asInt() == 0);
    }
}
