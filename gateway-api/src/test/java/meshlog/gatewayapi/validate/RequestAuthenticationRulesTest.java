package meshlog.gatewayapi.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestAuthenticationRulesTest {

    /** Istio's ParseJwksURI: Go's url.Parse refuses a port that is not digits (TestValidateRequestAuthentication). */
    @Test
    void jwksUriPortsAreNumbers() {
        assertThat(RequestAuthenticationRules.jwksUri("https://foo.com:not-a-number")).contains("invalid port");
        assertThat(RequestAuthenticationRules.jwksUri("https://foo.com:8a/keys")).contains("invalid port");
        assertThat(RequestAuthenticationRules.jwksUri("https://[::1]x/keys")).contains("invalid port");
        assertThat(RequestAuthenticationRules.jwksUri("https://[::1/keys")).contains("missing ']'");
        assertThat(RequestAuthenticationRules.jwksUri("https://foo.com:8443/keys")).isNull();
        assertThat(RequestAuthenticationRules.jwksUri("https://user:pw@foo.com/keys")).isNull();
        assertThat(RequestAuthenticationRules.jwksUri("https://[::1]:443/keys")).isNull();
        assertThat(RequestAuthenticationRules.jwksUri("http://foo.com:/keys?a=b:c")).isNull();
        assertThat(RequestAuthenticationRules.jwksUri("https://foo.com/a:b")).isNull();
    }
}
