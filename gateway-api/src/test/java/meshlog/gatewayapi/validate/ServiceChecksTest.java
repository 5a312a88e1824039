package meshlog.gatewayapi.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceChecksTest {

    @Test
    void wildcardDomainAsIstioValidatesIt() {
        assertThat(ServiceChecks.wildcardDomain("reviews")).isNull();
        assertThat(ServiceChecks.wildcardDomain("*.example.com")).isNull();
        assertThat(ServiceChecks.wildcardDomain("*x")).isNull(); // partial: a warning elsewhere
        assertThat(ServiceChecks.wildcardDomain("*-api.example.com")).isNull();
        assertThat(ServiceChecks.wildcardDomain("Reviews.Example.COM.")).isNull();
        assertThat(ServiceChecks.wildcardDomain("a*.example.com")).contains("label \"a*\" invalid");
        assertThat(ServiceChecks.wildcardDomain("api.*.example.com")).contains("label \"*\" invalid");
        assertThat(ServiceChecks.wildcardDomain("reviews.123")).contains("all-numeric");
        assertThat(ServiceChecks.wildcardDomain("10.0.0.1")).contains("all-numeric");
        assertThat(ServiceChecks.wildcardDomain("")).contains("empty");
        assertThat(ServiceChecks.wildcardDomain("a".repeat(256))).contains("too long");
    }

    /** Istio's TestValidateWildcardDomainForVirtualServiceBoundToGateway, the cases with SNI matches. */
    @Test
    void sniDomainsOfEastWestGateways() {
        assertThat(ServiceChecks.sniDomain("outbound_.80_._.e2e.foobar.mesh")).isNull();
        assertThat(ServiceChecks.sniDomain("outbound_.15010_._.istiod.istio-system.svc.cluster.local")).isNull();
        assertThat(ServiceChecks.sniDomain("outbound.com")).isNull();
        assertThat(ServiceChecks.sniDomain("*.bar.com")).isNull();
        assertThat(ServiceChecks.sniDomain("neverbound_.80_._.e2e.foobar.mesh")).contains("invalid");
        assertThat(ServiceChecks.sniDomain("outbound_.thisIsNotAPort_._.e2e.foobar.mesh")).contains("invalid");
        assertThat(ServiceChecks.sniDomain("outbound_.80_._")).contains("invalid");
        assertThat(ServiceChecks.sniDomain("")).contains("empty");
        assertThat(ServiceChecks.wildcardDomain("outbound_.80_._.e2e.foobar.mesh")).contains("invalid");
    }

    @Test
    void fqdnHasNoWildcardAndPartialWildcardsAreFound() {
        assertThat(ServiceChecks.fqdn("api.example.com")).isNull();
        assertThat(ServiceChecks.fqdn("*.example.com")).isNotNull();
        assertThat(ServiceChecks.partialWildcard("*.example.com")).isNull();
        assertThat(ServiceChecks.partialWildcard("*")).isNull();
        assertThat(ServiceChecks.partialWildcard("*api.example.com")).isNotNull();
    }

    @Test
    void primesAsEnvoyCountsThem() {
        assertThat(ServiceChecks.isPrime(65537)).isTrue();
        assertThat(ServiceChecks.isPrime(2)).isTrue();
        assertThat(ServiceChecks.isPrime(9)).isFalse();
        assertThat(ServiceChecks.isPrime(65536)).isFalse();
        assertThat(ServiceChecks.isPrime(0)).isFalse();
    }

    @Test
    void unixAddresses() {
        assertThat(ServiceChecks.unixAddress("@abstract")).isNull();
        assertThat(ServiceChecks.unixAddress("/var/run/a.sock")).isNull();
        assertThat(ServiceChecks.unixAddress("/var/run/")).isNotNull();
        assertThat(ServiceChecks.unixAddress("relative.sock")).isNotNull();
        assertThat(ServiceChecks.unixAddress("")).isNotNull();
    }

    @Test
    void localitiesMustNotOverlap() {
        assertThat(ServiceChecks.localities(List.of("us-west/zone1/*", "us-west/zone2/*", "us-east"))).isNull();
        assertThat(ServiceChecks.localities(List.of("us-west", "us-west/zone1"))).contains("overlaps");
        assertThat(ServiceChecks.localities(List.of("us-west/zone1", "us-west/*"))).isNull();
        assertThat(ServiceChecks.localities(List.of("us-west/*", "us-west/zone1"))).contains("overlaps");
        assertThat(ServiceChecks.localities(List.of("*", "us-west"))).contains("overlaps");
        assertThat(ServiceChecks.localities(List.of("us-west/*/rack"))).contains("wildcard");
        assertThat(ServiceChecks.localities(List.of("us-west//rack"))).contains("empty");
    }

    @Test
    void protocolsAsIstioParsesThem() {
        assertThat(ServiceChecks.isKnownProtocol("")).isTrue();
        assertThat(ServiceChecks.isKnownProtocol("grpc-web")).isTrue();
        assertThat(ServiceChecks.isKnownProtocol("SPDY")).isFalse();
        assertThat(ServiceChecks.isHttp("GRPC")).isTrue();
        assertThat(ServiceChecks.isTls("HTTPS")).isTrue();
        assertThat(ServiceChecks.isTcp("UDP")).isFalse();
        assertThat(ServiceChecks.isTcp("")).isFalse();
    }
}
