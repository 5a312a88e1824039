package meshlog.gatewayapi.parse;

import java.util.ArrayList;
import java.util.List;
import meshlog.gatewayapi.model.LoadBalancerSettings;
import meshlog.gatewayapi.model.LoadBalancerSettings.ConsistentHash;
import meshlog.gatewayapi.model.LoadBalancerSettings.CookieAttribute;
import meshlog.gatewayapi.model.LoadBalancerSettings.Distribute;
import meshlog.gatewayapi.model.LoadBalancerSettings.Failover;
import meshlog.gatewayapi.model.LoadBalancerSettings.HashAlgorithm;
import meshlog.gatewayapi.model.LoadBalancerSettings.HashKey;
import meshlog.gatewayapi.model.LoadBalancerSettings.HttpCookie;
import meshlog.gatewayapi.model.LoadBalancerSettings.HttpHeaderName;
import meshlog.gatewayapi.model.LoadBalancerSettings.HttpQueryParameterName;
import meshlog.gatewayapi.model.LoadBalancerSettings.LocalityLbSetting;
import meshlog.gatewayapi.model.LoadBalancerSettings.Maglev;
import meshlog.gatewayapi.model.LoadBalancerSettings.RingHash;
import meshlog.gatewayapi.model.LoadBalancerSettings.Simple;
import meshlog.gatewayapi.model.LoadBalancerSettings.UseSourceIp;
import meshlog.gatewayapi.model.LoadBalancerSettings.Warmup;
import meshlog.gatewayapi.model.LoadBalancerSettings.ZoneAwareLbSetting;

/** Reads a DestinationRule's {@code loadBalancer}; null when the object is absent. */
final class LoadBalancerReader {

    /** More than one member of a proto {@code oneof} is set (the hash key, the hash algorithm). */
    static final String ONE_OF = "DR0016";

    private LoadBalancerReader() {
    }

    static LoadBalancerSettings read(Fields f) {
        if (f == null) {
            return null;
        }
        var lb = new LoadBalancerSettings(EnumField.read(f, "simple", Simple.class, null),
                consistentHash(f.object("consistentHash")), locality(f.object("localityLbSetting")),
                zoneAware(f.object("zoneAwareLbSetting")), f.duration("warmupDurationSecs"),
                warmup(f.object("warmup")));
        f.end();
        return lb;
    }

    private static ConsistentHash consistentHash(Fields f) {
        if (f == null) {
            return null;
        }
        List<HashKey> keys = new ArrayList<>();
        String header = f.string("httpHeaderName");
        if (header != null) {
            keys.add(new HttpHeaderName(header));
        }
        HttpCookie cookie = cookie(f.object("httpCookie"));
        if (cookie != null) {
            keys.add(cookie);
        }
        Boolean sourceIp = f.bool("useSourceIp");
        if (sourceIp != null) {
            keys.add(new UseSourceIp(sourceIp));
        }
        String query = f.string("httpQueryParameterName");
        if (query != null) {
            keys.add(new HttpQueryParameterName(query));
        }
        if (keys.size() > 1) {
            f.errorHere(ONE_OF, "only one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName "
                    + "may be set, got " + keys.size());
        }
        List<HashAlgorithm> algorithms = new ArrayList<>();
        Fields ring = f.object("ringHash");
        if (ring != null) {
            algorithms.add(new RingHash(ring.longInteger("minimumRingSize")));
            ring.end();
        }
        Fields maglev = f.object("maglev");
        if (maglev != null) {
            algorithms.add(new Maglev(maglev.longInteger("tableSize")));
            maglev.end();
        }
        if (algorithms.size() > 1) {
            f.errorHere(ONE_OF, "only one of ringHash or maglev may be set");
        }
        var hash = new ConsistentHash(keys.isEmpty() ? null : keys.get(0),
                algorithms.isEmpty() ? null : algorithms.get(0), f.longInteger("minimumRingSize"));
        f.end();
        return hash;
    }

    private static HttpCookie cookie(Fields f) {
        if (f == null) {
            return null;
        }
        var attributes = f.objects("attributes", (a, i) -> new CookieAttribute(orEmpty(a.string("name")),
                orEmpty(a.string("value"))));
        var cookie = new HttpCookie(f.string("name"), f.string("path"), f.duration("ttl"), attributes);
        f.end();
        return cookie;
    }

    private static LocalityLbSetting locality(Fields f) {
        if (f == null) {
            return null;
        }
        var distribute = f.objects("distribute", (d, i) -> new Distribute(d.string("from"), d.intMap("to")));
        var setting = new LocalityLbSetting(distribute, failover(f), f.strings("failoverPriority"),
                f.bool("enabled"));
        f.end();
        return setting;
    }

    private static ZoneAwareLbSetting zoneAware(Fields f) {
        if (f == null) {
            return null;
        }
        var setting = new ZoneAwareLbSetting(f.bool("enabled"), failover(f), f.strings("failoverPriority"),
                f.longInteger("minClusterSize"));
        f.end();
        return setting;
    }

    private static List<Failover> failover(Fields f) {
        return f.objects("failover", (o, i) -> new Failover(o.string("from"), o.string("to")));
    }

    private static Warmup warmup(Fields f) {
        if (f == null) {
            return null;
        }
        var warmup = new Warmup(f.duration("duration"), f.decimal("minimumPercent"), f.decimal("aggression"));
        f.end();
        return warmup;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
