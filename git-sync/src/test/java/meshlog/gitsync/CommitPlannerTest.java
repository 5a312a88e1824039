package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommitPlannerTest {

    @Test
    void theAllowEmptyTrailerCountsOnlyInTheLastParagraphAndOnlyAsTrue() {
        assertThat(CommitPlanner.allowsEmpty("decommission\n\nMeshlog-Allow-Empty: true")).isTrue();
        assertThat(CommitPlanner.allowsEmpty("decommission\n\nSigned-off-by: A <a@x>\nmeshlog-allow-empty:TRUE\n"))
                .isTrue();
        assertThat(CommitPlanner.allowsEmpty("decommission\r\n\r\nMeshlog-Allow-Empty: true\r\n")).isTrue();
        assertThat(CommitPlanner.allowsEmpty("decommission\n\nMeshlog-Allow-Empty: false")).isFalse();
        assertThat(CommitPlanner.allowsEmpty("x\n\nMeshlog-Allow-Empty: true\n\nthe body goes on")).isFalse();
        assertThat(CommitPlanner.allowsEmpty("Meshlog-Allow-Empty: yes")).isFalse();
        assertThat(CommitPlanner.allowsEmpty("")).isFalse();
    }
}
