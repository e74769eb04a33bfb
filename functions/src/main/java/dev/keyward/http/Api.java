package dev.keyward.http;

import com.amazonaws.services.lambda.runtime.Context;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.Failures;
import dev.keyward.core.KeywardException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What every handler shares: reading API Gateway's proxy event, the method check, writing the
 * proxy response, and turning any failure into problem+json without a stack trace or a secret
 * reaching the caller or the log.
 */
public final class Api {
    private Api() {
    }

    /** Reads the proxy event from {@code input}, routes it and writes the proxy response to {@code output}. */
    public static void serve(InputStream input, OutputStream output, Context context, String method,
                             Function<ApiRequest, ApiResponse> route) throws IOException {
        Envelopes.write(serve(Envelopes.read(input), context, method, route), output);
    }

    static ApiResponse serve(Map<String, Object> event, Context context, String method,
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
            if (e.code() == ErrorCode.INTERNAL) {
                logFailure("ERROR", requestId, e.getCause() != null ? e.getCause() : e);
            } else if (e.code() == ErrorCode.DEPENDENCY_UNAVAILABLE) {
                // what AWS does by design (throttling, conflicts, late answers): the caller retries
                logFailure("WARN", requestId, e.getCause() != null ? e.getCause() : e);
            }
            return Problems.of(e, requestId);
        } catch (RuntimeException e) {
            logFailure("ERROR", requestId, e);
            return Problems.of(ErrorCode.INTERNAL, "Something went wrong on our side; the request was not completed.",
                    requestId, Map.of());
        }
    }

    /**
     * WARN for what AWS does by design (throttling, late answers, unreachable: answered 503 with
     * Retry-After, the client retries); ERROR only for a bug (answered 500).
     */
    static String level(RuntimeException e) {
        return e instanceof KeywardException k && k.code() == ErrorCode.DEPENDENCY_UNAVAILABLE ? "WARN" : "ERROR";
    }

    private static void logFailure(String level, String requestId, Throwable e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("event", "request_failed");
        if (requestId != null) {
            line.put("requestId", requestId);
        }
        line.putAll(Failures.describe(e));
        System.out.println(JsonBodies.write(line));
    }
}
