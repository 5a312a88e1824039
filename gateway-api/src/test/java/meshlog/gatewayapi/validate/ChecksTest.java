package meshlog.gatewayapi.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared value checks, on the edge cases Istio's own tests use. */
class ChecksTest {

    @ParameterizedTest
    @ValueSource(strings = {"::1", "::", "2001:db8::1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1",
            "64:ff9b::192.0.2.33", "2001:DB8::A"})
    void ipv6LiteralsAreIps(String ip) {
        assertThat(Checks.isIp(ip)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {".a:", "a:", ":", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", "::g", "1:2:3:4:5:6:7",
            "::ffff:10.0.0.256", "fe80::1%eth0", "[::1]"})
    void thingsThatOnlyLookLikeIpv6AreNotAndNeverCauseALookup(String text) {
        assertThat(Checks.isIp(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "255.255.255.255", "0.0.0.0"})
    void ipv4(String ip) {
        assertThat(Checks.isIpv4(ip)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0", "10.0.0.1.2", "256.0.0.1", "01.0.0.1", "a.b.c.d"})
    void notIpv4(String ip) {
        assertThat(Checks.isIpv4(ip)).isFalse();
    }
}
