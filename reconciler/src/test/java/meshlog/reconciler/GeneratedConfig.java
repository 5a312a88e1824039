package meshlog.reconciler;

/**
 * A synthetic mesh for scale tests: per service a ServiceEntry (two endpoints in two localities), a DestinationRule
 * with subsets v1 and v2, and a VirtualService splitting 90/10.
 */
final class GeneratedConfig {

    private GeneratedConfig() {
    }

    static String yaml(int services) {
        return yaml(services, 0);
    }

    /**
     * Like {@link #yaml(int)}, with {@code sourceLabeled} routes in front of {@code svc0}'s split, the {@code i}th
     * for workloads labelled {@code app: w<i>} (to subset v2): scopes of those labels get a route table of their own.
     */
    static String yaml(int services, int sourceLabeled) {
        StringBuilder sb = new StringBuilder("""
                apiVersion: meshlog.dev/v1alpha1
                kind: Cluster
                metadata: {name: east}
                spec: {locality: us-east/zone-a}
                """);
        for (int i = 0; i < services; i++) {
            sb.append("---\n").append("""
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: svc%1$d, namespace: ns%2$d}
                    spec:
                      hosts: [svc%1$d.ns%2$d.svc.cluster.local]
                      location: MESH_INTERNAL
                      resolution: STATIC
                      ports: [{number: 50051, name: grpc, protocol: GRPC}]
                      endpoints:
                      - {address: 10.%3$d.%4$d.1, labels: {version: v1}, locality: us-east/zone-a}
                      - {address: 10.%3$d.%4$d.2, labels: {version: v2}, locality: us-west/zone-b}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata: {name: svc%1$d, namespace: ns%2$d}
                    spec:
                      host: svc%1$d
                      subsets:
                      - {name: v1, labels: {version: v1}}
                      - {name: v2, labels: {version: v2}}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: svc%1$d, namespace: ns%2$d}
                    spec:
                      hosts: [svc%1$d]
                      http:
                    %5$s  - route:
                        - {destination: {host: svc%1$d, subset: v1}, weight: 90}
                        - {destination: {host: svc%1$d, subset: v2}, weight: 10}
                    """.formatted(i, i % 10, i / 256, i % 256, i == 0 ? sourceRoutes(sourceLabeled) : ""));
        }
        return sb.toString();
    }

    private static String sourceRoutes(int n) {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < n; d++) {
            sb.append("  - match: [{sourceLabels: {app: w").append(d).append("}}]\n")
                    .append("    route: [{destination: {host: svc0, subset: v2}}]\n");
        }
        return sb.toString();
    }
}
