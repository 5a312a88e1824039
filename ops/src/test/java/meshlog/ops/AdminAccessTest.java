package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdminAccessTest {

    static String outcome(AdminAccess access, String method, String host, String authorization) {
        AdminAccess.Refusal r = access.check(method, host, authorization);
        return r == null ? "ok" : r.status() + " " + r.message() + (r.headers().isEmpty() ? "" : " " + r.headers());
    }

    @Test
    void onLoopbackOnlyLoopbackNamesAndAddressesMayBeTheHost() {
        AdminAccess a = new AdminAccess("127.0.0.1", null);
        for (String ok : new String[] {"127.0.0.1:15014", "localhost:15014", "LOCALHOST.", "[::1]:15014", "::1",
                "127.0.0.2", "[::ffff:127.0.0.1]:1"}) {
            assertThat(outcome(a, "GET", ok, null)).as(ok).isEqualTo("ok");
        }
        assertThat(outcome(a, "GET", "rebind.attacker.example:15014", null)).isEqualTo("403 Host"
                + " \"rebind.attacker.example:15014\" is not a loopback name or address; this admin server is bound"
                + " to loopback");
        for (String bad : new String[] {"127.0.0.1.nip.io", "127.evil.example", "2130706433", "10.0.0.1",
                "localhost.attacker.example", "[::2]", ""}) {
            assertThat(outcome(a, "GET", bad, null)).as(bad).startsWith("403 ");
        }
        assertThat(outcome(a, "GET", null, null)).isEqualTo("403 Host (none) is not a loopback name or address;"
                + " this admin server is bound to loopback");
        assertThat(outcome(a, "GET", "evil\n.example", null)).contains("\"evil\\n.example\"");
    }

    @Test
    void theBindAddressIsParsedNotMatchedAsAPrefix() {
        assertThat(AdminAccess.isLoopback("127.0.0.1")).isTrue();
        assertThat(AdminAccess.isLoopback("127.0.0.53")).isTrue();
        assertThat(AdminAccess.isLoopback("::1")).isTrue();
        assertThat(AdminAccess.isLoopback("[::1]")).isTrue();
        assertThat(AdminAccess.isLoopback("::ffff:127.0.0.1")).isTrue();
        assertThat(AdminAccess.isLoopback("localhost")).isTrue();
        assertThat(AdminAccess.isLoopback("0.0.0.0")).isFalse();
        assertThat(AdminAccess.isLoopback("10.1.2.3")).isFalse();
        assertThat(AdminAccess.isLoopback("127.evil.invalid")).as("a name, not an address; .invalid never resolves")
                .isFalse();
        assertThat(outcome(new AdminAccess("0.0.0.0", null), "GET", "mesh-admin.corp.example", null))
                .as("bound elsewhere, any Host: protect it with a token").isEqualTo("ok");
        assertThat(outcome(new AdminAccess("localhost", null), "GET", "localhost", null)).isEqualTo("ok");
    }

    @Test
    void onlyGetAndHeadAreAnswered() {
        AdminAccess a = new AdminAccess("127.0.0.1", null);
        assertThat(outcome(a, "HEAD", "localhost", null)).isEqualTo("ok");
        for (String m : new String[] {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"}) {
            assertThat(outcome(a, m, "localhost", null)).isEqualTo("405 method " + m + " not allowed: the admin API is"
                    + " read-only (GET, HEAD) {Allow=GET, HEAD}");
        }
    }

    @Test
    void withATokenEveryRequestNeedsItAsABearer() {
        String token = "0123456789abcdef0123456789abcdef";
        AdminAccess a = new AdminAccess("0.0.0.0", token);
        String refused = "401 this admin server needs Authorization: Bearer <token> (--admin-token-file)"
                + " {WWW-Authenticate=Bearer realm=\"meshlog-admin\"}";
        assertThat(outcome(a, "GET", "x", null)).isEqualTo(refused);
        assertThat(outcome(a, "GET", "x", "Bearer " + token + "0")).isEqualTo(refused);
        assertThat(outcome(a, "GET", "x", "Basic " + token)).isEqualTo(refused);
        assertThat(outcome(a, "GET", "x", token)).isEqualTo(refused);
        assertThat(outcome(a, "GET", "x", "Bearer " + token)).isEqualTo("ok");
        assertThat(outcome(a, "GET", "x", "bearer " + token)).isEqualTo("ok");
        assertThat(outcome(a, "POST", "x", "Bearer " + token)).startsWith("405 ");
        assertThat(outcome(new AdminAccess("127.0.0.1", token), "GET", "evil.example", "Bearer " + token))
                .as("a token does not lift the Host check").startsWith("403 ");
    }
}
