package dev.keyward.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The invocation's time budget on this thread: what the AWS clients' calls may still spend. */
class InvocationBudgetTest {
    @Test
    void remaining_shouldBeEmptyOutsideABudget_andWhatIsLeftWithinIt_nestedBudgetsRestored() {
        assertEquals(Optional.empty(), Invocation.budgetLeft());

        String answer = Invocation.during(null, "req", Duration.ofSeconds(10), () -> {
            Duration outer = Invocation.budgetLeft().orElseThrow();
            assertTrue(outer.compareTo(Duration.ofSeconds(9)) > 0 && outer.compareTo(Duration.ofSeconds(10)) <= 0, outer.toString());
            Invocation.during(null, "req", Duration.ofSeconds(-1), () -> {
                assertTrue(Invocation.budgetLeft().orElseThrow().isNegative(), "spent");
                return null;
            });
            Duration restored = Invocation.budgetLeft().orElseThrow();
            assertTrue(restored.compareTo(Duration.ofSeconds(9)) > 0, restored.toString());
            return "done";
        });

        assertEquals("done", answer);
        assertEquals(Optional.empty(), Invocation.budgetLeft(), "the budget ends with its work");
    }
}
