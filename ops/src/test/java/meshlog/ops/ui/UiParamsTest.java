package meshlog.ops.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The UI APIs' parameters are refused, naming the parameter, before anything reads the log. */
class UiParamsTest {

    static final List<String> COMMITS = List.of("limit", "before", "outcome", "q");

    @Test
    void defaultsAndValuesInRangeAreTaken() {
        assertThat(UiParams.of(Map.of(), COMMITS).limit()).isEqualTo(UiParams.DEFAULT_LIMIT);
        UiParams p = UiParams.of(Map.of("limit", "500", "before", "12", "outcome", "rejected", "q", "alice"), COMMITS);
        assertThat(p.limit()).isEqualTo(500);
        assertThat(p.number("before", -1)).isEqualTo(12);
        assertThat(p.outcome()).isEqualTo("rejected");
        assertThat(p.optional("q")).isEqualTo("alice");
    }

    @Test
    void eachBadParameterIsRefusedByName() {
        assertThatThrownBy(() -> UiParams.of(Map.of("sort", "x"), COMMITS))
                .hasMessage("unknown parameter sort (limit, before, outcome, q)");
        assertThatThrownBy(() -> UiParams.of(Map.of("q", "x".repeat(201)), COMMITS))
                .hasMessage("parameter q is longer than 200 characters");
        for (String limit : List.of("0", "501", "-1", "ten", "99999999999999999999")) {
            assertThatThrownBy(() -> UiParams.of(Map.of("limit", limit), COMMITS).limit())
                    .hasMessageStartingWith("limit must be 1 to 500, not ");
        }
        assertThatThrownBy(() -> UiParams.of(Map.of("before", "-3"), COMMITS).number("before", -1))
                .hasMessage("before must be a non-negative number, not -3");
        assertThatThrownBy(() -> UiParams.of(Map.of("outcome", "maybe"), COMMITS).outcome())
                .hasMessage("outcome must be applied or rejected, not maybe");
        assertThatThrownBy(() -> UiParams.of(Map.of(), List.of("at")).required("at"))
                .hasMessageStartingWith("at= is required");
    }
}
