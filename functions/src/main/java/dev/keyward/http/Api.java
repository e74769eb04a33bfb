package dev.keyward.http;

import com.amazonaws.services.lambda.runtime.Context;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeywardException;
import dev.keyward.telemetry.Invocation;
import dev.keyward.telemetry.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * What every handler shares: reading API Gateway's proxy event, the method check, writing the
 * proxy response, and turning any failure into problem+json without a stack trace or a secret
 * reaching the caller or the log.
 */
public final class Api {
    /** Kept back from the invocation's remaining time for answering after the last AWS call. */
    static final Duration ANSWER_RESERVE = Duration.ofMillis(1500);

    private Api() {
    }

    /** Reads the proxy event from {@code input}, routes it and writes the proxy response to {@code output}. */
    public static void serve(InputStream input, OutputStream output, Context context, String method,
                             Function<ApiRequest, ApiResponse> route) throws IOException {
        Envelopes.write(serve(Envelopes.read(input), context, method, route), output);
    }

    static ApiResponse serve(Map<String, Object> event, Context context, String method,
                             Function<ApiRequest, ApiResponse> route) {
        String apiRequestId = Envelopes.text(Envelopes.object(event, "requestContext"), "requestId");
        return Invocation.during(context, apiRequestId, budget(context), () -> answer(event, context, method, route));
    }

    private static ApiResponse answer(Map<String, Object> event, Context context, String method,
                                      Function<ApiRequest, ApiResponse> route) {
        String requestId = context == null ? null : context.getAwsRequestId();
        ApiRequest request = new ApiRequest(event);
        if (!method.equals(request.method())) {
            return Problems.of(ErrorCode.METHOD_NOT_ALLOWED,
                    "This resource does not answer " + request.method() + ".", requestId, Map.of("Allow", method));
        }
        try {
            return route.apply(request);
        } catch (KeywardException e) {
            if (e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.DEPENDENCY_UNAVAILABLE) {
                logFailure(e.code(), e);
            }
            return Problems.of(e, requestId);
        } catch (RuntimeException e) {
            logFailure(ErrorCode.INTERNAL, e);
            return Problems.of(ErrorCode.INTERNAL, "Something went wrong on our side; the request was not completed.",
                    requestId, Map.of());
        }
    }

    /**
     * The request's budget for calls to AWS ({@link Invocation#budgetLeft}): the invocation's
     * remaining time less {@link #ANSWER_RESERVE}, so the answer is written before Lambda's timeout
     * cuts the function off. Null without a Lambda context (tests calling a handler directly):
     * calls keep only their own timeouts.
     */
    static Duration budget(Context context) {
        int remainingMillis = context == null ? 0 : context.getRemainingTimeInMillis();
        if (remainingMillis <= 0) {
            return null;
        }
        Duration budget = Duration.ofMillis(remainingMillis).minus(ANSWER_RESERVE);
        return budget.isNegative() ? Duration.ZERO : budget;
    }

    /**
     * A 5xx answer: its code (a metric by code) and the failure (a dependency error when AWS's).
     * A bug is an ERROR; AWS being busy or unreachable, which the caller is told to retry, a WARN.
     */
    private static void logFailure(ErrorCode code, Throwable e) {
        if (code == ErrorCode.INTERNAL) {
            Log.error("request_failed", Map.of("code", code.code()), e);
        } else {
            Log.warn("request_failed", Map.of("code", code.code()), e);
        }
    }
}
