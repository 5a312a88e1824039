package meshlog.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The problems themselves are tested where the check lives (xds-check); here, how the reconciler reports them. */
class InconsistentSnapshotExceptionTest {

    @Test
    void theExceptionListsEveryProblem() {
        InconsistentSnapshotException e = new InconsistentSnapshotException("east", List.of("one", "two"));

        assertThat(e).hasMessage("snapshot for cluster east is inconsistent (2 problems):\n  one\n  two");
        assertThat(e.problems()).containsExactly("one", "two");
    }
}
