package meshlog.gatewayapi.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwksCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"keys\":[]}",
        "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"abc\",\"e\":\"AQAB\",\"alg\":\"RS256\"}]}",
        "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"a\",\"y\":\"b\"}],\"extra\":1}",
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"abc\"}",
        " {\"keys\": [ {\"kty\": \"RSA\", \"n\": \"abc\", \"e\": \"AQAB\", \"x5c\": [\"MIIB\"]} ]} \n"})
    void acceptsPublicKeySets(String jwks) {
        JwksCheck.Result r = JwksCheck.check(jwks);

        assertThat(r.problem()).isNull();
        assertThat(r.privateKeys()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "\"keys\"", "{\"keys\":{}}", "{\"keys\":[1]}",
        "{\"keys\":[{\"n\":\"a\",\"e\":\"b\"}]}", "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"a\"}]}",
        "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"a\"}]}", "{\"kty\":\"oct\"}",
        "{\"keys\":[{\"kty\":1}]}", "{\"keys\":[]}{}", "{\"keys\":[}"})
    void rejectsWhatIsNoKeySet(String jwks) {
        assertThat(JwksCheck.check(jwks).problem()).startsWith("jwks parse error");
    }

    @Test
    void namesEveryKeyWithPrivateMaterial() {
        JwksCheck.Result r = JwksCheck.check("{\"keys\":["
                + "{\"kty\":\"RSA\",\"kid\":\"pub\",\"n\":\"a\",\"e\":\"b\"},"
                + "{\"kty\":\"RSA\",\"kid\":\"priv\",\"n\":\"a\",\"e\":\"b\",\"d\":\"c\",\"qi\":\"d\"},"
                + "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}");

        assertThat(r.problem()).isNull();
        assertThat(r.privateKeys()).containsExactly("keys[1] (kid \"priv\") has private members d, qi",
                "keys[2] has private members k");
    }
}
