package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import meshlog.xds.proxy.ProxyGroup;
import org.junit.jupiter.api.Test;

class IdentityCacheTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
    final ProxyGroup group = new ProxyGroup("east", "ns1", "sa1");

    @Test
    void reusesAnIdentityUntilItsRenewalTimeThenIssuesAnother() {
        TestCa ca = new TestCa(clock);
        IdentityCache cache = new IdentityCache(ca, clock);

        Identity first = cache.identity(group).orElseThrow();
        clock.advance(Duration.ofHours(11));
        assertThat(cache.due(group)).isFalse();
        assertThat(cache.identity(group)).contains(first);

        clock.advance(Duration.ofHours(1));
        assertThat(cache.due(group)).isTrue();
        Identity second = cache.identity(group).orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(second.renewAt()).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
        assertThat(ca.issued("east/ns1/sa1")).isEqualTo(2);
    }

    @Test
    void keepsThePreviousIdentityWhenIssuingFails() {
        AtomicInteger calls = new AtomicInteger();
        Identity issued = new Identity("chain", "key", clock.instant().plusSeconds(60));
        IdentityCache cache = new IdentityCache(new IdentityIssuer() {
            @Override
            public Identity issue(String cluster, String namespace, String serviceAccount) {
                if (calls.incrementAndGet() > 1) {
                    throw new IllegalStateException("CA down");
                }
                return issued;
            }

            @Override
            public String trustBundlePem() {
                throw new IllegalStateException("CA down");
            }
        }, clock);

        assertThat(cache.identity(group)).contains(issued);
        clock.advance(Duration.ofMinutes(5));
        assertThat(cache.identity(group)).contains(issued);
        assertThat(calls).hasValue(2);
        assertThat(cache.trustBundle()).isEmpty();
        assertThat(cache.identity(new ProxyGroup("east", "ns1", "other"))).isEmpty();
    }

    @Test
    void anIdentityPrintsWithoutItsKey() {
        Identity identity = new Identity("-----BEGIN CERTIFICATE-----", "-----BEGIN PRIVATE KEY-----secret", Instant.EPOCH);
        assertThat(identity.toString()).doesNotContain("secret", "PRIVATE").contains("redacted");
    }
}
