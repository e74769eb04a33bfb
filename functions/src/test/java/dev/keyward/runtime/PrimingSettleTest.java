package dev.keyward.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.core.EventLog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * After its rounds, priming walks on while each settle round still gives the JIT compiler new
 * work, and stops at the first that gives it none, or after {@link Priming#SETTLE_ROUNDS}. The
 * compiler's total time is stood in for by a figure the handler's requests move.
 */
class PrimingSettleTest {
    private final AtomicLong requests = new AtomicLong();
    private final RequestStreamHandler handler = (in, out, context) -> {
        requests.incrementAndGet();
        out.write("{\"statusCode\":200}".getBytes(StandardCharsets.UTF_8));
    };

    @Test
    void settling_shouldStop_atTheFirstRoundThatGivesTheCompilerNoNewWork() {
        // the compiler works while the first two settle rounds run, and is idle from then on
        long busyUntil = Priming.ROUNDS + 2L * Priming.SETTLE_WALKS;

        assertTrue(priming(() -> Math.min(requests.get(), busyUntil)).prime());

        assertEquals(Priming.ROUNDS + 3L * Priming.SETTLE_WALKS, requests.get(),
                "two rounds that gave it work, and the one that did not");
    }

    @Test
    void settling_shouldStop_afterItsLastRound_whenTheCompilerNeverRests() {
        assertTrue(priming(requests::get).prime());

        assertEquals(Priming.ROUNDS + (long) Priming.SETTLE_ROUNDS * Priming.SETTLE_WALKS, requests.get());
    }

    @Test
    void priming_shouldNotSettle_whereTheJvmKeepsNoCompilationTime() {
        assertTrue(priming(() -> -1).prime());

        assertEquals(Priming.ROUNDS, requests.get());
    }

    @Test
    void settling_shouldStopWalking_whenAwsStopsAnswering() {
        long[] failAt = {Priming.ROUNDS + 2};
        RequestStreamHandler failing = (in, out, context) -> {
            if (requests.incrementAndGet() >= failAt[0]) {
                throw new IllegalStateException("no answer");
            }
            out.write("{\"statusCode\":200}".getBytes(StandardCharsets.UTF_8));
        };

        Priming priming = new Priming("test", failing, "{}".getBytes(StandardCharsets.UTF_8), List.of(), EventLog.NONE,
                requests::get);

        assertFalse(priming.prime());
        assertEquals(failAt[0], requests.get(), "no walk after the one that was not answered");
    }

    private Priming priming(LongSupplier compilationTime) {
        return new Priming("test", handler, "{}".getBytes(StandardCharsets.UTF_8), List.of(), EventLog.NONE, compilationTime);
    }
}
