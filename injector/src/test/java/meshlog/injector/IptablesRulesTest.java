package meshlog.injector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IptablesRulesTest {

    /** Every rule set's start: the chains and the two redirects. */
    static final String CHAINS = """
                *nat
                -N ISTIO_INBOUND
                -N ISTIO_REDIRECT
                -N ISTIO_IN_REDIRECT
                -N ISTIO_OUTPUT
                -A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001
                -A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006
                """;
    /** The proxy's own traffic and loopback, the same whatever is captured (with inbound capture on). */
    static final String PROXY_AND_LOOPBACK = """
                -A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN
                -A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -m owner --uid-owner 1337 -j ISTIO_IN_REDIRECT
                -A ISTIO_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN
                -A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN
                -A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -m owner --gid-owner 1337 -j ISTIO_IN_REDIRECT
                -A ISTIO_OUTPUT -o lo -m owner ! --gid-owner 1337 -j RETURN
                -A ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN
                -A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN
                """;

    @Test
    void theDefaultIsIstioInitsRuleSet() {
        assertThat(IptablesRules.render(TrafficCapture.DEFAULT)).isEqualTo(CHAINS + """
                -A PREROUTING -p tcp -j ISTIO_INBOUND
                -A ISTIO_INBOUND -p tcp --dport 15090 -j RETURN
                -A ISTIO_INBOUND -p tcp --dport 15021 -j RETURN
                -A ISTIO_INBOUND -p tcp --dport 15020 -j RETURN
                -A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT
                -A OUTPUT -p tcp -j ISTIO_OUTPUT
                """ + PROXY_AND_LOOPBACK + """
                -A ISTIO_OUTPUT -j ISTIO_REDIRECT
                COMMIT
                """);
    }

    @Test
    void annotationsNarrowWhatIsCaptured() {
        TrafficCapture c = TrafficCapture.fromAnnotations(Map.of(
                "traffic.sidecar.istio.io/includeOutboundIPRanges", "10.96.0.0/12",
                "traffic.sidecar.istio.io/excludeOutboundIPRanges", "10.96.0.10/32",
                "traffic.sidecar.istio.io/excludeOutboundPorts", "5432,6379",
                "traffic.sidecar.istio.io/includeInboundPorts", "9080,15021",
                "traffic.sidecar.istio.io/excludeInboundPorts", "9443"));
        assertThat(IptablesRules.render(c)).isEqualTo(CHAINS + """
                -A PREROUTING -p tcp -j ISTIO_INBOUND
                -A ISTIO_INBOUND -p tcp --dport 9080 -j ISTIO_IN_REDIRECT
                -A OUTPUT -p tcp -j ISTIO_OUTPUT
                -A ISTIO_OUTPUT -p tcp --dport 5432 -j RETURN
                -A ISTIO_OUTPUT -p tcp --dport 6379 -j RETURN
                """ + PROXY_AND_LOOPBACK + """
                -A ISTIO_OUTPUT -d 10.96.0.10/32 -j RETURN
                -A ISTIO_OUTPUT -d 10.96.0.0/12 -j ISTIO_REDIRECT
                COMMIT
                """);
    }

    @Test
    void noInboundPortsMeansNoInboundCaptureAndTheFlagsReadBack() {
        TrafficCapture c = TrafficCapture.fromAnnotations(Map.of(
                "traffic.sidecar.istio.io/includeInboundPorts", ""));
        assertThat(IptablesRules.render(c)).doesNotContain("PREROUTING").doesNotContain("-j ISTIO_IN_REDIRECT")
                .contains("-A ISTIO_OUTPUT -j ISTIO_REDIRECT\n");
        assertThat(TrafficCapture.of(c.values(), "flag --")).isEqualTo(c);
        assertThat(c.flags()).contains("--include-inbound-ports=");
    }
}
