package meshlog.configstore.endpoints;

/** Region, zone and subzone, empty where unknown. */
public record Locality(String region, String zone, String subzone) {
    public static final Locality NONE = new Locality("", "", "");
}
