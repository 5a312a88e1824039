/**
 * The reconciler: the served config to per-cluster xDS snapshots. The pure core is {@link
 * meshlog.reconciler.SnapshotComputer} ({@code ConfigState → ir → xds → xdscheck.SnapshotCheck → ScopeSnapshot});
 * debouncing and publishing belong in thin shell classes next to it.
 */
package meshlog.reconciler;
