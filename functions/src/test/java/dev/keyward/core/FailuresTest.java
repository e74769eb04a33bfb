package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How failures are described to the log. */
class FailuresTest {
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
