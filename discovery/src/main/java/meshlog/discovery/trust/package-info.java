/**
 * What a workload cluster needs to trust the mesh, kept as istiod keeps it: the ConfigMap {@code istio-ca-root-cert}
 * in every namespace (the root injected sidecars check the CA and the distributor against) and the {@code caBundle}
 * of the injection webhook (so the API server trusts the injector's certificate). Pure: what exists in, the writes
 * that make it right out; {@code meshlog.discovery.k8s.TrustPublisher} reads the cluster and applies them.
 */
package meshlog.discovery.trust;
