package meshlog.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import meshlog.ca.JoinTokens.InvalidJoinTokenException;
import meshlog.ca.JoinTokens.JoinToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JoinTokensTest {

    private static final Instant NOW = Instant.parse("2031-03-04T05:06:07Z");
    private static final WorkloadIdentity VM = new WorkloadIdentity("legacy", "billing-vm");

    @TempDir
    Path dir;

    @Test
    void aTokenWorksOnceForItsIdentityInAnotherProcessToo() throws Exception {
        String token = JoinTokens.open(dir, at(NOW)).create(VM, Duration.ofHours(1));
        JoinTokens ca = JoinTokens.open(dir, at(NOW.plusSeconds(60))); // as the CA process reads the directory

        JoinToken verified = ca.verify(token);
        ca.redeem(verified);

        assertThat(verified.identity()).isEqualTo(VM);
        assertThat(verified.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThatThrownBy(() -> ca.verify(token)).isInstanceOf(InvalidJoinTokenException.class)
                .hasMessage("join token was already used");
        assertThatThrownBy(() -> ca.redeem(verified)).hasMessage("join token was already used");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("join-tokens/hmac-key")))).isEqualTo("rw-------");
    }

    @Test
    void expiredTamperedAndForeignTokensAreRefusedWithoutQuotingThem() {
        JoinTokens tokens = JoinTokens.open(dir, at(NOW));
        String token = tokens.create(VM, Duration.ofMinutes(10));
        String other = JoinTokens.open(dir.resolve("other-ca"), at(NOW)).create(VM, Duration.ofMinutes(10));
        String payload = token.substring(0, token.lastIndexOf('.'));
        String tampered = payload.substring(0, payload.length() - 2) + "AA" + token.substring(token.lastIndexOf('.'));

        assertThatThrownBy(() -> JoinTokens.open(dir, at(NOW.plusSeconds(600))).verify(token))
                .hasMessage("join token expired at 2031-03-04T05:16:07Z");
        assertThatThrownBy(() -> tokens.verify(other))
                .hasMessage("join token signature does not verify: not made with this CA's key");
        assertThatThrownBy(() -> tokens.verify(tampered))
                .hasMessage("join token signature does not verify: not made with this CA's key");
        assertThatThrownBy(() -> tokens.verify("mljt1.x")).hasMessage("join token is malformed");
        assertThatThrownBy(() -> tokens.verify("eyJhbGciOi.e30.sig")).hasMessage("join token is malformed");
        assertThat(JoinTokens.isJoinToken(token)).isTrue();
        assertThat(JoinTokens.isJoinToken("eyJhbGciOiJSUzI1NiJ9.e30.x")).isFalse();
    }

    @Test
    void ttlIsBoundedAndExpiredRecordsAreForgotten() {
        JoinTokens tokens = JoinTokens.open(dir, at(NOW));
        assertThatThrownBy(() -> tokens.create(VM, Duration.ofDays(31)))
                .hasMessage("a join token's ttl must be more than 0 and at most 30 days, not PT744H");
        tokens.redeem(tokens.verify(tokens.create(VM, Duration.ofMinutes(1))));
        assertThat(new CaDirectory(dir).usedTokens()).hasSize(1);

        JoinTokens.open(dir, at(NOW.plusSeconds(61)));

        assertThat(new CaDirectory(dir).usedTokens()).isEmpty();
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
