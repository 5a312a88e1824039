/**
 * The IR to Envoy v3 protos: one builder per xDS type ({@code ListenerBuilder}, {@code RouteConfigBuilder},
 * {@code ClusterBuilder}, {@code EndpointBuilder}), run by {@link meshlog.reconciler.xds.XdsResources}, which
 * serializes deterministically. Builders never see config (YAML model) types.
 */
package meshlog.reconciler.xds;
