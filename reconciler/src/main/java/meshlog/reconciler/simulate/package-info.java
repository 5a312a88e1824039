/**
 * A traffic simulator over one scope's xDS resources: {@link meshlog.reconciler.simulate.TrafficSimulator} takes
 * a {@link meshlog.reconciler.simulate.SimRequest} to the listener, filter chain, route and cluster Envoy would
 * choose ({@link meshlog.reconciler.simulate.SimResult}). Pure; reads the serialized protos only.
 */
package meshlog.reconciler.simulate;
