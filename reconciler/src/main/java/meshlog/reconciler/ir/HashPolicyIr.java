package meshlog.reconciler.ir;

import java.time.Duration;

/**
 * What a consistent-hash backend hashes a request on (Envoy's route hash policy).
 *
 * @param name the header, cookie or query parameter; empty for the source IP
 * @param cookieTtl for a cookie: Envoy generates it with this lifetime when the request has none (null: never)
 * @param cookiePath for a cookie; empty for none
 */
public record HashPolicyIr(Kind kind, String name, Duration cookieTtl, String cookiePath) {

    public enum Kind { HEADER, COOKIE, SOURCE_IP, QUERY_PARAMETER }
}
