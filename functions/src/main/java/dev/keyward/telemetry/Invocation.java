package dev.keyward.telemetry;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Who is being served right now: the Lambda and API Gateway request ids, whether this is the
 * sandbox's first invocation, the X-Ray trace, the function and its version, and how long the
 * request may still spend on calls to its dependencies (its budget). The request wrappers
 * ({@code Api.serve}, {@code Authorizers.authorize}, the sweep) open it; {@link Log} puts it on
 * every line written meanwhile, and the AWS clients fit each call into its budget
 * ({@code CallBudget}, which {@code AwsClients} gives {@link #budgetLeft}). One per thread, so the
 * local API's concurrent requests keep theirs.
 *
 * <p>Why a budget: a function has a fixed timeout; a request that makes several calls, each with
 * its own timeout and retries, could otherwise outlive it and be cut off by Lambda mid-way,
 * answering the caller nothing at all. With a budget, every call is given at most what is left,
 * and a call that would start after the budget is spent is not sent: the request ends as "AWS did
 * not answer in time" (503 with Retry-After), within the function's timeout. The budget is held
 * here rather than passed through {@code core}: no use case reads it, only the adapters' calls do.
 */
public final class Invocation {
    /** The Java runtime sets this system property to each invocation's trace header. */
    static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";
    private static final AtomicBoolean FIRST = new AtomicBoolean(true);
    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();

    private final String requestId;
    private final String apiRequestId;
    private final boolean coldStart;
    private final String functionName;
    private final String functionVersion;
    /** When the budget is spent, in {@link System#nanoTime} terms; null for no budget. */
    private final Long deadlineNanos;

    private Invocation(Context context, String apiRequestId, Duration budget) {
        this.deadlineNanos = budget == null ? null : System.nanoTime() + budget.toNanos();
        this.requestId = context == null ? null : context.getAwsRequestId();
        this.apiRequestId = apiRequestId;
        // only Lambda's own invocations count: priming before a SnapStart snapshot runs a handler
        // without a context, and the first invocation after the restore is still the cold one
        this.coldStart = context != null && FIRST.getAndSet(false);
        this.functionName = context == null ? System.getenv("AWS_LAMBDA_FUNCTION_NAME") : context.getFunctionName();
        this.functionVersion = context == null ? System.getenv("AWS_LAMBDA_FUNCTION_VERSION") : context.getFunctionVersion();
    }

    /** Runs {@code work} with this invocation's context on every log line it writes, without a budget. */
    public static <T> T during(Context context, String apiRequestId, Supplier<T> work) {
        return during(context, apiRequestId, null, work);
    }

    /**
     * Runs {@code work} with this invocation's context on every log line it writes and
     * {@code budget} (null for none) to spend on calls to its dependencies.
     */
    public static <T> T during(Context context, String apiRequestId, Duration budget, Supplier<T> work) {
        Invocation outer = CURRENT.get();
        CURRENT.set(new Invocation(context, apiRequestId, budget));
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /**
     * What is left of the budget of the invocation under way on this thread (possibly zero or
     * negative), or empty outside one or when it has none.
     */
    public static Optional<Duration> budgetLeft() {
        Invocation current = CURRENT.get();
        if (current == null || current.deadlineNanos == null) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(current.deadlineNanos - System.nanoTime()));
    }

    /** A new sandbox, for tests: its next invocation is a cold start again. */
    static void sandboxStarted() {
        FIRST.set(true);
    }

    /** The trace header of the invocation under way ({@code Root=...;Parent=...;Sampled=...}), or null. */
    static String traceHeader() {
        String header = System.getProperty(TRACE_PROPERTY);
        return header != null && !header.isBlank() ? header : System.getenv("_X_AMZN_TRACE_ID");
    }

    /** One field of a trace header ({@code Root}, {@code Parent}, {@code Sampled}), or null. */
    static String traceField(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0 && part.substring(0, equals).trim().equals(name)) {
                return part.substring(equals + 1).trim();
            }
        }
        return null;
    }

    /** Adds the current invocation's fields to a log line; outside one, only the trace and the function. */
    static void describe(Map<String, Object> line) {
        Invocation current = CURRENT.get();
        if (current != null) {
            put(line, "requestId", current.requestId);
            put(line, "apiRequestId", current.apiRequestId);
            line.put("coldStart", current.coldStart);
        }
        put(line, "xrayTraceId", traceField(traceHeader(), "Root"));
        put(line, "function", current != null ? current.functionName : System.getenv("AWS_LAMBDA_FUNCTION_NAME"));
        put(line, "functionVersion", current != null ? current.functionVersion : System.getenv("AWS_LAMBDA_FUNCTION_VERSION"));
    }

    private static void put(Map<String, Object> line, String name, Object value) {
        if (value != null) {
            line.put(name, value);
        }
    }
}
