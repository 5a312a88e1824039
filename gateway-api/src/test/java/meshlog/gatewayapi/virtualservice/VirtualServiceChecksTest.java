package meshlog.gatewayapi.virtualservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.validate.HttpChecks;
import meshlog.gatewayapi.validate.RegexChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value checks behind the VirtualService rules, and the rules that need generated input. */
class VirtualServiceChecksTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/v[0-9]+/.*", "(?i)^/Shop", "(?P<version>v[12])/x", "(?<id>[a-f0-9]{8})",
            "[[:alpha:]_]+", "[]a]", "[^]a]", "a{2,5}", "x{abc}", "\\p{Greek}+", "\\pN", "\\x{1F600}", "a|b*?",
            "(?:a|b)+", "(?i:ab)c", "\\Q*.*\\E", "[a&&b]", "[a[b]", "\\.com$", "^\\d+\\s\\w\\b$", "\\z",
            "(?:a{2}){3}", "(a{10}){100}", "(a{2}){500}b{1000}", "((a{1000}){0}){1000}", "(a{1000})*", "a{2}?b*?c+?",
            "(a*){1000}", "[*]{2}", "a{2}|b{3}", "(?:(?:a{10}){10}){10}"})
    void re2PatternsJavaSpellsDifferentlyAreAccepted(String regex) {
        assertThat(RegexChecks.re2(regex)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a)\\1", "(?<n>a)\\k<n>", "a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b", "(?>ab)", "a*+",
            "a++", "a?+", "a{2}+", "a\\Z", "\\h", "\\R", "\\G", "(?x)a b", "(?#comment)", "[[:nope:]]", "a{1001}",
            "(a", "[a", "*a", "", "a\\", "a{2}{3}", "a**", "a*{2}", "a{2}*", "a??+",
            "(a{1000}){1000}", "(a{2}){501}", "(?:(?:a{10}){10}){11}", "(a{10,}){101}", "a{2}??"})
    void whatRe2LacksOrNothingCompilesIsRejected(String regex) {
        assertThat(RegexChecks.re2(regex)).isNotNull();
    }

    @Test
    void aRegexOfMoreThan1024CharactersIsRejectedByLength() {
        assertThat(RegexChecks.re2("a".repeat(1024))).isNull();
        assertThat(RegexChecks.re2("a".repeat(1025))).contains("1025", "1024");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "%HOSTNAME%", "100%%", "prefix %HOSTNAME% suffix", "%REQ(x-id)%",
            "%REQ_WITHOUT_QUERY(:path)%", "%START_TIME(%s.%3f)%", "%PER_REQUEST_STATE(a.b)%", "tab\tok",
            "%REQ([\"x-id\"])%", "%REQ( [ \"a\" , \"b\\\"c\" ] ) %", "%REQ(x-id)  %", "%%REQ(x)%%"})
    void envoyHeaderValuesAreAccepted(String value) {
        assertThat(HttpChecks.headerValue(value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc%123", "%START_TIME%%", "50%", "%REQ(x-id)", "%REQ(x-id) x", "bell\u0007",
            "del\u007f", "%REQ([\"a)b\"])%", "%REQ([x])%", "%REQ([\"a\" \"b\"])%", "%REQ([\"a\"] x)%", "%REQ(\"a\\"})
    void headerValuesEnvoyWouldRejectAreRejected(String value) {
        assertThat(HttpChecks.headerValue(value)).isNotNull();
    }

    @Test
    void headerNamesFollowIstiosRulesPerPlace() {
        assertThat(HttpChecks.matchHeaderName(":authority")).isNull();
        assertThat(HttpChecks.matchHeaderName("@request.auth.claims.groups")).isNull();
        assertThat(HttpChecks.matchHeaderName("@request.auth.claims[a][b]")).isNull();
        assertThat(HttpChecks.matchHeaderName("@request.auth.claims")).isNotNull();
        assertThat(HttpChecks.requestHeaderToSet(":authority")).isNull();
        assertThat(HttpChecks.requestHeaderToSet("Host")).isNull();
        assertThat(HttpChecks.requestHeaderToSet(":method")).isNotNull();
        assertThat(HttpChecks.headerToChange("host")).isNotNull();
        assertThat(HttpChecks.headerToChange("x-b3")).isNull();
        assertThat(HttpChecks.isKnownStatus("503")).isTrue();
        assertThat(HttpChecks.isKnownStatus("306")).isFalse();
        assertThat(HttpChecks.isKnownStatus("599")).isFalse();
    }

    private static CompiledConfig compileVs(String http) {
        String vs = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                """ + http;
        return ConfigCompiler.compile(Map.of("vs.yaml", vs.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDirectResponseBodyAbove100KbWarnsAndAbove1MbIsAnError() {
        String route = "  - directResponse: {status: 200, body: {string: \"%s\"}}\n";

        CompiledConfig big = compileVs(route.formatted("x".repeat(101 * 1024)));
        CompiledConfig huge = compileVs(route.formatted("x".repeat(1024 * 1024 + 1)));
        CompiledConfig fine = compileVs(route.formatted("x".repeat(100 * 1024)));

        assertThat(big.errors()).isEmpty();
        assertThat(big.warnings()).extracting(Diagnostic::code).contains("VS0315");
        assertThat(huge.errors()).extracting(Diagnostic::code, Diagnostic::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("VS0314", "spec.http[0].directResponse.body"));
        assertThat(fine.diagnostics()).extracting(Diagnostic::code).doesNotContain("VS0314", "VS0315");
    }

    @Test
    void routesThatCanStillMatchAreNotCalledUnreachable() {
        CompiledConfig c = compileVs("""
                  - match: [{uri: {prefix: /api/v2}}]
                    route: [{destination: {host: reviews}}]
                  - match: [{uri: {prefix: /api}}]
                    route: [{destination: {host: reviews}}]
                  - match: [{uri: {prefix: /shop}, headers: {end-user: {exact: jason}}}]
                    route: [{destination: {host: reviews}}]
                  - match: [{uri: {prefix: /shop/cart}}]
                    route: [{destination: {host: reviews}}]
                  - match: [{uri: {exact: /login}, ignoreUriCase: true}]
                    route: [{destination: {host: reviews}}]
                  - match: [{uri: {regex: "/a.*"}}]
                    route: [{destination: {host: reviews}}]
                  - match: [{uri: {prefix: /a}}]
                    route: [{destination: {host: reviews}}]
                  - route: [{destination: {host: reviews}}]
                """);

        assertThat(c.diagnostics()).extracting(Diagnostic::code).doesNotContain("VS0500", "VS0501");
    }

    @Test
    void theLineOfARuleIsTheLineOfTheFieldItNames() {
        CompiledConfig c = compileVs("""
                  - route: [{destination: {host: reviews}}]
                    retries:
                      attempts: 2
                      retryOn: 5xx,bogus
                """);

        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("VS0327");
            assertThat(d.line()).isEqualTo(10);
            assertThat(d.message()).contains("\"bogus\"");
        });
    }
}
