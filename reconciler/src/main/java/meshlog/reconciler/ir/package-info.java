/**
 * The intermediate representation between the user's config and xDS: what one cluster's clients are served, in
 * meshlog's own words. Translators (package {@code translate}) produce it from config objects; builders (package
 * {@code xds}) turn it into Envoy protos. Neither side sees the other's types.
 *
 * <p>Every list in the IR is sorted by name, so building from it is deterministic.
 */
package meshlog.reconciler.ir;
