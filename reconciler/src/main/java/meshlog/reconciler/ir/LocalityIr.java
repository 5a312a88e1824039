package meshlog.reconciler.ir;

import java.util.Comparator;

/** Where a workload or a cluster runs: {@code region/zone/subzone}, each part possibly empty. */
public record LocalityIr(String region, String zone, String subZone) implements Comparable<LocalityIr> {

    public static final LocalityIr NONE = new LocalityIr("", "", "");

    private static final Comparator<LocalityIr> ORDER = Comparator.comparing(LocalityIr::region)
            .thenComparing(LocalityIr::zone).thenComparing(LocalityIr::subZone);

    /** Istio's locality string {@code region/zone/subzone}; missing parts are empty. */
    public static LocalityIr parse(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        String[] parts = text.split("/", 3);
        return new LocalityIr(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
    }

    public boolean isNone() {
        return equals(NONE);
    }

    /**
     * Whether this locality lies inside {@code scope}: every part {@code scope} gives is equal here. A scope of
     * {@code us-east} contains {@code us-east/a} and {@code us-east/b/rack1}; {@link #NONE} contains nothing.
     */
    public boolean within(LocalityIr scope) {
        if (scope.isNone()) {
            return false;
        }
        return part(scope.region, region) && part(scope.zone, zone) && part(scope.subZone, subZone);
    }

    private static boolean part(String scope, String mine) {
        return scope.isEmpty() || scope.equals(mine);
    }

    @Override
    public int compareTo(LocalityIr o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return region + "/" + zone + "/" + subZone;
    }
}
