package meshlog.gatewayapi.validate;

import java.util.Set;
import meshlog.gatewayapi.model.ServiceEntry;

/**
 * Resolution {@code DYNAMIC_DNS} (istio-facts §2.1 rule 43): the proxy resolves the name a request carries (Host
 * header or SNI) under a wildcard host, so the hosts must be wildcards, there is nothing to give as addresses or
 * endpoints, and the ports must carry that name (HTTP, HTTP2, GRPC or TLS). Istio documents DYNAMIC_DNS for
 * MESH_EXTERNAL entries and refuses a MESH_INTERNAL one that is bound to a waypoint ({@code istio.io/use-waypoint}).
 */
final class DynamicDnsRules {

    static final String CODE = "SE0028";
    private static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTP2", "GRPC", "TLS");
    static final String USE_WAYPOINT = "istio.io/use-waypoint";

    private DynamicDnsRules() {
    }

    static void check(ServiceEntry se, Findings f) {
        for (int i = 0; i < se.hosts().size(); i++) {
            String host = se.hosts().get(i);
            if (!host.startsWith("*.")) {
                f.error(CODE, "spec.hosts[" + i + "]", "resolution DYNAMIC_DNS needs wildcard hosts "
                        + "(\"*.example.com\"), got \"" + host + "\"");
            }
        }
        if (!se.addresses().isEmpty()) {
            f.error(CODE, "spec.addresses", "resolution DYNAMIC_DNS takes no addresses");
        }
        if (!se.endpoints().isEmpty()) {
            f.error(CODE, "spec.endpoints", "resolution DYNAMIC_DNS takes no endpoints: the name in each request "
                    + "is resolved");
        }
        String waypoint = se.metadata().labels().get(USE_WAYPOINT);
        if (se.location() == ServiceEntry.Location.MESH_INTERNAL && waypoint != null) {
            f.error(CODE, "spec.location", "resolution DYNAMIC_DNS resolves external names: it cannot be combined "
                    + "with location MESH_INTERNAL on a ServiceEntry bound to a waypoint (label " + USE_WAYPOINT
                    + ": " + waypoint + "); use MESH_EXTERNAL");
        }
        for (int i = 0; i < se.ports().size(); i++) {
            String protocol = se.ports().get(i).protocol();
            if (!PROTOCOLS.contains(protocol)) {
                f.error(CODE, "spec.ports[" + i + "].protocol", "resolution DYNAMIC_DNS supports only HTTP, HTTP2, "
                        + "GRPC and TLS ports, got " + (protocol.isEmpty() ? "an unset protocol" : protocol));
            }
        }
    }
}
