package meshlog.gatewayapi.validate;

import java.util.Map;
import java.util.Set;
import meshlog.gatewayapi.model.ServiceEntry.WorkloadEndpoint;

/**
 * Istio's {@code validateWorkloadEntry}, for a WorkloadEntry and for each endpoint of a ServiceEntry (which is the
 * same message): the address, its unix-socket form, the named ports and the labels. The codes differ by kind.
 */
final class EndpointRules {

    /** The diagnostic codes of one kind, one per problem. */
    record Codes(String missingAddress, String addressWithNetworkOnly, String badUnixAddress, String unixWithPorts,
                 String badAddress, String badPortName, String badPort, String badLabels, String undeclaredPort,
                 String unixNeedsOnePort, String badWeight) {
    }

    static final Codes WORKLOAD_ENTRY = new Codes("WE0001", "WE0002", "WE0003", "WE0004", "WE0005", "WE0006",
            "WE0007", "WE0008", null, null, "WE0009");
    static final Codes SERVICE_ENTRY = new Codes("SE0006", "SE0030", "SE0031", "SE0032", "SE0022", "SE0012",
            "SE0003", "SE0029", "SE0023", "SE0024", "SE0033");

    private static final String UNIX = "unix://";

    private EndpointRules() {
    }

    /**
     * @param path the endpoint's path ({@code spec} or {@code spec.endpoints[2]})
     * @param servicePorts the names of the ServiceEntry's ports, or null for a WorkloadEntry (not checked then)
     * @param fqdnAllowed whether a host name may stand for the address (not for STATIC resolution)
     */
    static void check(WorkloadEndpoint ep, String path, Set<String> servicePorts, boolean fqdnAllowed, Codes codes,
                      Findings f) {
        String address = ep.address();
        String at = path + ".address";
        if (address.isEmpty()) {
            if (ep.network().isEmpty()) {
                f.error(codes.missingAddress(), at, "address is required");
                return;
            }
            f.warning(codes.addressWithNetworkOnly(), at, "address is unset with network \"" + ep.network()
                    + "\"; this is only supported when the network's gateway is used");
        }
        boolean unix = address.startsWith(UNIX);
        if (unix) {
            f.errorIf(codes.badUnixAddress(), at, ServiceChecks.unixAddress(address.substring(UNIX.length())));
            if (!ep.ports().isEmpty()) {
                f.error(codes.unixWithPorts(), path + ".ports", "unix endpoint " + address
                        + " must not include ports");
            }
        } else if (!address.isEmpty() && !ServiceChecks.isIp(address)) {
            if (!fqdnAllowed) {
                f.error(codes.badAddress(), at, "endpoint address \"" + address + "\" is not a valid IP address");
            } else if (ServiceChecks.fqdn(address) != null) {
                f.error(codes.badAddress(), at, "endpoint address \"" + address
                        + "\" is not a valid FQDN or an IP address");
            }
        }
        ports(ep.ports(), path + ".ports", servicePorts, codes, f);
        f.errorIf(codes.badLabels(), path + ".labels", Checks.labels(ep.labels()));
        f.errorIf(codes.badWeight(), path + ".weight", Checks.nonNegative(ep.weight()));
        if (unix && servicePorts != null && servicePorts.size() != 1) {
            f.error(codes.unixNeedsOnePort(), at, "exactly 1 service port required for unix endpoints, got "
                    + servicePorts.size());
        }
    }

    private static void ports(Map<String, Integer> ports, String path, Set<String> servicePorts, Codes codes,
                              Findings f) {
        for (var e : ports.entrySet()) {
            String at = e.getKey().isEmpty() ? path : path + "." + e.getKey();
            if (servicePorts != null && !servicePorts.contains(e.getKey())) {
                f.error(codes.undeclaredPort(), at, "endpoint port \"" + e.getKey()
                        + "\" is not defined by the service entry's ports");
            }
            if (!ServiceChecks.isDnsLabel(e.getKey())) {
                f.error(codes.badPortName(), at, "invalid port name \"" + e.getKey()
                        + "\": must be a DNS-1123 label");
            }
            f.errorIf(codes.badPort(), at, Checks.port(e.getValue()));
        }
    }
}
