package meshlog.gatewayapi.validate;

import static org.assertj.core.api.Assertions.assertThat;

import meshlog.gatewayapi.validate.AuthorizationChecks.ValueKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizationChecksTest {

    @ParameterizedTest
    @ValueSource(strings = {"/exact", "/prefix/*", "*/suffix", "*", "/a/{*}", "/{**}/a/b", "/a/{*}/b/{**}",
            "/{*}/{*}/{**}", "/a/{*}/x@y=1", "/a b/c"})
    void acceptsPathsIstioAccepts(String path) {
        assertThat(AuthorizationChecks.pathTemplate(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users/{id}", "/a/{*}/{**}/{*}", "/a/{**}/b/{**}", "/a/{*}/b*", "/a/{*}//b",
            "/a/{=*}", "/a/{}/b", "/users/{id"})
    void rejectsUnsupportedPathTemplates(String path) {
        assertThat(AuthorizationChecks.pathTemplate(path)).isNotNull();
    }

    @ParameterizedTest
    @CsvSource({"0,true", "8080,true", "65535,true", "65536,false", "-1,false", "http,false", "08080,true"})
    void portsAreNumbersUpTo65535(String port, boolean ok) {
        assertThat(AuthorizationChecks.port(port) == null).isEqualTo(ok);
    }

    @ParameterizedTest
    @CsvSource({"cart,true", "shop/cart,true", "/cart,false", "shop/,false", "a/b/c,false", "shop/*,false"})
    void serviceAccountsAreNameOrNamespaceSlashName(String sa, boolean ok) {
        assertThat(AuthorizationChecks.serviceAccount(sa) == null).isEqualTo(ok);
    }

    @ParameterizedTest
    @CsvSource({"request.headers[x-user],ANY", "request.auth.claims[a][b],ANY", "source.trustDomain,ANY",
            "experimental.envoy.filters.a.b[c],ANY", "request.experimental.inline.headers[x],ANY",
            "source.ip,IP", "remote.ip,IP", "destination.ip,IP", "destination.port,PORT",
            "source.serviceAccount,SERVICE_ACCOUNT", "connection.sni,ANY"})
    void knowsIstiosAttributes(String key, ValueKind kind) {
        assertThat(AuthorizationChecks.attribute(key)).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"request.headers", "request.headers[]", "request.auth.claims[x", "destination.labels[a]",
            "destination.namespace", "destination.name", "destination.user", "source.user", "Source.ip"})
    void rejectsUnknownOrRetiredAttributes(String key) {
        assertThat(AuthorizationChecks.attribute(key)).isInstanceOf(String.class);
    }
}
