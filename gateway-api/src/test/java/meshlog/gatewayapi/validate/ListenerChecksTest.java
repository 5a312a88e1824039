package meshlog.gatewayapi.validate;

import static org.assertj.core.api.Assertions.assertThat;

import meshlog.gatewayapi.validate.ListenerChecks.Protocol;
import org.junit.jupiter.api.Test;

class ListenerChecksTest {

    @Test
    void protocolsAreParsedIgnoringCase() {
        assertThat(Protocol.parse("https")).isEqualTo(Protocol.HTTPS);
        assertThat(Protocol.parse("gRPC-Web")).isEqualTo(Protocol.GRPC_WEB);
        assertThat(Protocol.parse("GRPC_WEB")).isEqualTo(Protocol.UNSUPPORTED);
        assertThat(Protocol.parse("http_proxy").isHttp()).isTrue();
        assertThat(Protocol.parse("")).isEqualTo(Protocol.UNSUPPORTED);
        assertThat(Protocol.parse("TLS").isTls()).isTrue();
        assertThat(Protocol.parse("HTTPS").isHttp()).isFalse();
    }

    @Test
    void gatewayHostsMayBePlainOrNamespacedAndIps() {
        assertThat(ListenerChecks.namespacedHost("*", true)).isNull();
        assertThat(ListenerChecks.namespacedHost("shop.example.com", true)).isNull();
        assertThat(ListenerChecks.namespacedHost("./*.example.com", true)).isNull();
        assertThat(ListenerChecks.namespacedHost("*/*", true)).isNull();
        assertThat(ListenerChecks.namespacedHost("1.1.1.1", true)).isNull();
        assertThat(ListenerChecks.namespacedHost("~/shop.example.com", true)).contains("invalid namespace");
        assertThat(ListenerChecks.namespacedHost("foo", true)).contains("short name");
        assertThat(ListenerChecks.namespacedHost("*bar.com", true)).contains("partial wildcard");
        assertThat(ListenerChecks.namespacedHost("foo.*.bar.com", true)).contains("partial wildcard");
    }

    @Test
    void sidecarHostsNeedANamespaceAndNoIp() {
        assertThat(ListenerChecks.namespacedHost("~/*", false)).isNull();
        assertThat(ListenerChecks.namespacedHost("./foo.com", false)).isNull();
        assertThat(ListenerChecks.namespacedHost("*", false)).contains("namespace/dnsName");
        assertThat(ListenerChecks.namespacedHost("/", false)).contains("must both be given");
        assertThat(ListenerChecks.namespacedHost("*/10.0.0.1", false)).contains("IP address");
        assertThat(ListenerChecks.namespacedHost("test/*a.com", false)).contains("partial wildcard");
    }

    /** Istio 1.31: a {@code ~} before a namespace excludes its hosts ("import all except a namespace"). */
    @Test
    void sidecarHostsMayExcludeANamespace() {
        assertThat(ListenerChecks.namespacedHost("~ns1/*", false)).isNull();
        assertThat(ListenerChecks.namespacedHost("~ns1/foo.example.com", false)).isNull();
        assertThat(ListenerChecks.namespacedHost("~/foo.example.com", false)).isNull();
        assertThat(ListenerChecks.namespacedHost("~*/*", false)).contains("invalid namespace");
        assertThat(ListenerChecks.namespacedHost("~./*", false)).contains("invalid namespace");
        assertThat(ListenerChecks.namespacedHost("~bad_ns/*", false)).contains("invalid namespace");
        assertThat(ListenerChecks.namespacedHost("~ns1/*", true)).contains("invalid namespace");
    }

    @Test
    void bindsAreIpsOrUnixSockets() {
        assertThat(ListenerChecks.bind("")).isNull();
        assertThat(ListenerChecks.bind("::1")).isNull();
        assertThat(ListenerChecks.bind("unix://@abstract")).isNull();
        assertThat(ListenerChecks.bind("unix:///@foo/bar/com")).isNull();
        assertThat(ListenerChecks.bind("unix:///var/run/")).contains("absolute path");
        assertThat(ListenerChecks.bind("unix://")).contains("empty");
        assertThat(ListenerChecks.bind("foo.bar")).contains("not a valid IP");
    }

    @Test
    void cipherOperatorsPassUncheckedAndUnknownNamesDoNot() {
        assertThat(ListenerChecks.isValidCipherSuite("ECDHE-ECDSA-AES128-SHA")).isTrue();
        assertThat(ListenerChecks.isValidCipherSuite("-ECDHE-ECDSA-AES128-SHA")).isTrue();
        assertThat(ListenerChecks.isValidCipherSuite("ALL")).isTrue();
        assertThat(ListenerChecks.isValidCipherSuite("not-a-cipher-suite")).isFalse();
    }

    @Test
    void defaultEndpointsAreLoopbackOrAnyAddressWithAPort() {
        assertThat(SidecarRules.defaultEndpoint("127.0.0.1:9999")).isNull();
        assertThat(SidecarRules.defaultEndpoint("[::1]:9999")).isNull();
        assertThat(SidecarRules.defaultEndpoint(":8080")).isNull();
        assertThat(SidecarRules.defaultEndpoint("unix://@app")).isNull();
        assertThat(SidecarRules.defaultEndpoint("1.1.1.1:90")).contains("must be 127.0.0.1");
        assertThat(SidecarRules.defaultEndpoint("[1:1:1:1:1:1:1:1]:90")).contains("must be 127.0.0.1");
        assertThat(SidecarRules.defaultEndpoint("127.0.0.1:hi")).contains("not a number");
        assertThat(SidecarRules.defaultEndpoint("[::1]:0")).contains("between 1-65535");
        assertThat(SidecarRules.defaultEndpoint("unix:///")).contains("absolute path");
    }
}
