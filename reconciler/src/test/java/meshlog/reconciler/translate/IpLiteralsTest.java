package meshlog.reconciler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpLiteralsTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.1, true", "255.255.255.255, true", "256.0.0.1, false", "1.2.3, false", "1.2.3.4.5, false",
        "01.2.3.4, true", "a.b.c.d, false", "::1, true", "::, true", "2001:db8::10, true",
        "1:2:3:4:5:6:7:8, true", "1:2:3:4:5:6:7, false", "1:2:3:4:5:6:7:8:9, false", "1::2::3, false",
        "::ffff:10.0.0.1, true", "::ffff:10.0.0, false", "fe80::1%eth0, false", "example.com, false",
        "unix:///tmp/s, false", "'', false", "g::1, false"
    })
    void recognisesLiteralsOnly(String text, boolean ip) {
        assertThat(IpLiterals.isIp(text)).as(text).isEqualTo(ip);
    }
}
