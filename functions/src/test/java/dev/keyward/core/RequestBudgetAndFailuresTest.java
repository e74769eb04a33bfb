package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The request's time budget on this thread, and how failures are described to the log. */
class RequestBudgetAndFailuresTest {
    @Test
    void remaining_shouldBeEmptyOutsideABudget_andWhatIsLeftWithinIt_nestedBudgetsRestored() {
        assertEquals(Optional.empty(), RequestBudget.remaining());

        String answer = RequestBudget.within(Duration.ofSeconds(10), () -> {
            Duration outer = RequestBudget.remaining().orElseThrow();
            assertTrue(outer.compareTo(Duration.ofSeconds(9)) > 0 && outer.compareTo(Duration.ofSeconds(10)) <= 0, outer.toString());
            RequestBudget.within(Duration.ofSeconds(-1), () -> {
                assertTrue(RequestBudget.remaining().orElseThrow().isNegative(), "spent");
                return null;
            });
            Duration restored = RequestBudget.remaining().orElseThrow();
            assertTrue(restored.compareTo(Duration.ofSeconds(9)) > 0, restored.toString());
            return "done";
        });

        assertEquals("done", answer);
        assertEquals(Optional.empty(), RequestBudget.remaining(), "the budget ends with its work");
    }

    @Test
    void describe_shouldNameTheClassTheRootAndThePlace_neverTheMessage() {
        IllegalStateException root = new IllegalStateException("kw_sec_secret-in-a-message");
        RuntimeException wrapped = new RuntimeException("outer kw_sec_x", root);

        Map<String, Object> fields = Failures.describe(wrapped);

        assertEquals("java.lang.RuntimeException", fields.get("error"));
        assertEquals("java.lang.IllegalStateException", fields.get("rootError"));
        StackTraceElement top = wrapped.getStackTrace()[0];
        assertEquals(top.getClassName() + "." + top.getMethodName() + ":" + top.getLineNumber(), fields.get("at"));
        assertFalse(fields.toString().contains("kw_sec_"), fields.toString());
    }

    @Test
    void describe_shouldLeaveOutTheRootOfAnUnwrappedFailure_andThePlaceOfOneWithoutFrames() {
        IllegalStateException alone = new IllegalStateException("x");
        alone.setStackTrace(new StackTraceElement[0]);

        assertEquals(Map.of("error", "java.lang.IllegalStateException"), Failures.describe(alone));
    }
}
