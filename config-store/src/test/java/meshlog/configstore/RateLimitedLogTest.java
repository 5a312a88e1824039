package meshlog.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {

    final List<String> lines = new ArrayList<>();
    final AtomicLong now = new AtomicLong();
    final RateLimitedLog log = new RateLimitedLog(lines::add, Duration.ofSeconds(10), 2, now::get);

    @Test
    void aMillionRepeatsInOneWindowAreOneLineAndOneSummary() {
        for (int i = 0; i < 1_000_000; i++) {
            log.event("127.0.0.1 RESOURCE_EXHAUSTED", () -> "refused 127.0.0.1");
        }
        assertThat(lines).containsExactly("refused 127.0.0.1");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.flush();
        assertThat(lines).containsExactly("refused 127.0.0.1", "127.0.0.1 RESOURCE_EXHAUSTED: 999999 more in the"
                + " 10000 ms since the first was logged (repeats are counted, not logged)");
        log.flush();
        assertThat(lines).hasSize(2);
    }

    @Test
    void theNextWindowLogsAgainAndSummarisesTheLast() {
        log.event("k", () -> "one");
        log.event("k", () -> "two");
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        log.event("k", () -> "three");
        assertThat(lines).containsExactly("one", "k: 1 more in the 11000 ms since the first was logged (repeats are"
                + " counted, not logged)", "three");
    }

    @Test
    void keysPastTheLimitShareOne() {
        for (int i = 0; i < 100; i++) {
            int n = i;
            log.event("address-" + i, () -> "refused address-" + n);
        }
        assertThat(lines).containsExactly("refused address-0", "refused address-1", "refused address-2");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.flush();
        assertThat(lines).last().isEqualTo("(other): 97 more in the 10000 ms since the first was logged (repeats"
                + " are counted, not logged)");
    }
}
