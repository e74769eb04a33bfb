package dev.keyward.core;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How long the request being served on this thread may still spend on calls to its
 * dependencies. A function has a fixed timeout; a request that makes several calls, each with its
 * own timeout and retries, could otherwise outlive it and be cut off by Lambda mid-way, answering
 * the caller nothing at all. With a budget, every call is given at most what is left, and a call
 * that would start after the budget is spent is not sent: the request ends as "AWS did not answer
 * in time" (503 with Retry-After), within the function's timeout.
 */
public final class RequestBudget {
    private static final ThreadLocal<Long> DEADLINE_NANOS = new ThreadLocal<>();

    private RequestBudget() {
    }

    /** Runs {@code work} with {@code budget} to spend on dependencies, then restores the previous budget. */
    public static <T> T within(Duration budget, Supplier<T> work) {
        Long previous = DEADLINE_NANOS.get();
        DEADLINE_NANOS.set(System.nanoTime() + budget.toNanos());
        try {
            return work.get();
        } finally {
            if (previous == null) {
                DEADLINE_NANOS.remove();
            } else {
                DEADLINE_NANOS.set(previous);
            }
        }
    }

    /** What is left of this thread's budget (possibly zero or negative), or empty when it has none. */
    public static Optional<Duration> remaining() {
        Long deadline = DEADLINE_NANOS.get();
        return deadline == null ? Optional.empty() : Optional.of(Duration.ofNanos(deadline - System.nanoTime()));
    }
}
