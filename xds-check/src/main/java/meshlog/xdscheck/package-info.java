/**
 * The one consistency check of an xDS snapshot ({@link meshlog.xdscheck.SnapshotCheck}), at both trust
 * boundaries: the reconciler runs it before publishing, each distributor again before serving what it read from
 * the topic (it trusts no writer). One class called twice, so the distributor refuses exactly what the reconciler
 * refuses. Depends on the Envoy protos only; also home of the xDS facts both sides share ({@link
 * meshlog.xdscheck.TypeUrls}, {@link meshlog.xdscheck.XdsLimits}).
 */
package meshlog.xdscheck;
