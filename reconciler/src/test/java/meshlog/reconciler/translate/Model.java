package meshlog.reconciler.translate;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import meshlog.gatewayapi.model.DestinationRule;
import meshlog.gatewayapi.model.DestinationRule.Subset;
import meshlog.gatewayapi.model.MeshCluster;
import meshlog.gatewayapi.model.ObjectMeta;
import meshlog.gatewayapi.model.ServiceEntry;
import meshlog.gatewayapi.model.ServiceEntry.Location;
import meshlog.gatewayapi.model.ServiceEntry.Port;
import meshlog.gatewayapi.model.ServiceEntry.Resolution;
import meshlog.gatewayapi.model.ServiceEntry.WorkloadEndpoint;
import meshlog.gatewayapi.model.StringMatch;
import meshlog.gatewayapi.model.VirtualService;
import meshlog.gatewayapi.model.VirtualService.Destination;
import meshlog.gatewayapi.model.VirtualService.HttpMatch;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.RouteDestination;

/**
 * Model objects built directly, bypassing validation, so tests reach the translators' defensive paths (config
 * validation would reject) as well as the ordinary ones.
 */
final class Model {

    private Model() {
    }

    static ObjectMeta meta(String namespace, String name) {
        return new ObjectMeta(name, namespace, Map.of(), Map.of());
    }

    static Port port(int number, String name) {
        return new Port(number, "GRPC", name, 0);
    }

    static WorkloadEndpoint endpoint(String address, Map<String, String> labels) {
        return new WorkloadEndpoint(address, Map.of(), labels, "", "", 0);
    }

    static ServiceEntry service(String namespace, String name, String host, List<Port> ports,
                                WorkloadEndpoint... endpoints) {
        return new ServiceEntry(meta(namespace, name), List.of(host), List.of(), ports, Location.MESH_INTERNAL,
                Resolution.STATIC, Arrays.asList(endpoints));
    }

    static DestinationRule rule(String namespace, String name, String host, String... subsets) {
        return new DestinationRule(meta(namespace, name), host,
                Arrays.stream(subsets).map(s -> new Subset(s, Map.of("version", s))).toList());
    }

    static VirtualService vs(String namespace, String name, String host, HttpRoute... http) {
        return new VirtualService(meta(namespace, name), List.of(host), List.of(), Arrays.asList(http));
    }

    static HttpRoute route(RouteDestination... dests) {
        return new HttpRoute("", List.of(), Arrays.asList(dests));
    }

    static HttpRoute route(String name, StringMatch uri, RouteDestination... dests) {
        return new HttpRoute(name, List.of(new HttpMatch("", uri, Map.of())), Arrays.asList(dests));
    }

    static RouteDestination to(String host, String subset, Integer weight) {
        return new RouteDestination(new Destination(host, subset, 0), weight);
    }

    static RouteDestination to(String host, int port, Integer weight) {
        return new RouteDestination(new Destination(host, "", port), weight);
    }

    static MeshCluster cluster(String name, String locality) {
        return new MeshCluster(meta("default", name), "", locality);
    }
}
