package meshlog.gatewayapi.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a proxy picks an endpoint of a destination. Every part is null when not written. Istio allows only one of
 * {@code simple} / {@code consistentHash}, and of {@code warmupDurationSecs} / {@code warmup}; validation reports
 * both being set, so both are kept here.
 */
public record LoadBalancerSettings(Simple simple, ConsistentHash consistentHash, LocalityLbSetting localityLbSetting,
                                   ZoneAwareLbSetting zoneAwareLbSetting, Duration warmupDurationSecs,
                                   Warmup warmup) {

    /** {@code LEAST_CONN} is deprecated in favour of {@code LEAST_REQUEST}. */
    public enum Simple { UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST }

    /**
     * Session affinity by hashing a request property. {@code hashKey} and {@code hashAlgorithm} are null when not
     * written; {@code minimumRingSize} is the deprecated top-level ring size, null when not written.
     */
    public record ConsistentHash(HashKey hashKey, HashAlgorithm hashAlgorithm, Long minimumRingSize) {
    }

    /** What is hashed: exactly one of these. */
    public sealed interface HashKey permits HttpHeaderName, HttpCookie, UseSourceIp, HttpQueryParameterName {
    }

    public record HttpHeaderName(String name) implements HashKey {
    }

    /** A cookie; generated with {@code ttl} when the request has none (ttl 0 gives a session cookie). */
    public record HttpCookie(String name, String path, Duration ttl, List<CookieAttribute> attributes)
            implements HashKey {
        public HttpCookie {
            name = name == null ? "" : name;
            path = path == null ? "" : path;
            attributes = List.copyOf(attributes);
        }
    }

    public record CookieAttribute(String name, String value) {
    }

    public record UseSourceIp(boolean enabled) implements HashKey {
    }

    public record HttpQueryParameterName(String name) implements HashKey {
    }

    /** Ring hash (the default) or Maglev. */
    public sealed interface HashAlgorithm permits RingHash, Maglev {
    }

    public record RingHash(Long minimumRingSize) implements HashAlgorithm {
    }

    public record Maglev(Long tableSize) implements HashAlgorithm {
    }

    /**
     * Locality-weighted distribution or failover. {@code distribute[].to} maps a locality to its weight;
     * {@code enabled} is null when not written.
     */
    public record LocalityLbSetting(List<Distribute> distribute, List<Failover> failover,
                                    List<String> failoverPriority, Boolean enabled) {
        public LocalityLbSetting {
            distribute = List.copyOf(distribute);
            failover = List.copyOf(failover);
            failoverPriority = List.copyOf(failoverPriority);
        }
    }

    public record Distribute(String from, Map<String, Integer> to) {
        public Distribute {
            from = from == null ? "" : from;
            to = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(to)); // keeps document order
        }
    }

    public record Failover(String from, String to) {
        public Failover {
            from = from == null ? "" : from;
            to = to == null ? "" : to;
        }
    }

    /** Envoy's zone-aware routing within the proxy's region, with region failover tiers. */
    public record ZoneAwareLbSetting(Boolean enabled, List<Failover> failover, List<String> failoverPriority,
                                     Long minClusterSize) {
        public ZoneAwareLbSetting {
            failover = List.copyOf(failover);
            failoverPriority = List.copyOf(failoverPriority);
        }
    }

    /** Slow start for new endpoints: {@code duration} is required by Istio. */
    public record Warmup(Duration duration, Double minimumPercent, Double aggression) {
    }
}
