package dev.keyward.http;

import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeywardException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one mapping from failures to RFC 9457 {@code application/problem+json} answers. */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    public static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_JSON, INVALID_NAME, UNKNOWN_FIELD, INVALID_ACCOUNT_ID, INVALID_LIMIT, INVALID_CURSOR,
                 INVALID_GRACE_PERIOD, INVALID_IDEMPOTENCY_KEY, INVALID_EXPIRES_AT, INVALID_SCOPES, INVALID_ALLOWED_CIDRS,
                 INVALID_ENABLED,
                 INVALID_RETENTION_DAYS, INVALID_REPORT, INVALID_DAYS, INVALID_WEBHOOK_URL, INVALID_WEBHOOK_EVENTS,
                 INVALID_OVERLAP_SECONDS -> 400;
            case INVALID_KEY_LIFETIME_DAYS, INVALID_REQUIRE_SCOPES, INVALID_SETTINGS -> 400;
            // a well-formed create or PATCH that the account's key policy, which its owner may change, refuses
            case EXPIRY_REQUIRED, EXPIRY_BEYOND_POLICY, SCOPES_REQUIRED -> 409;
            case UNAUTHORIZED, INVALID_REPORT_SIGNATURE -> 401;
            case ACCESS_DENIED -> 403;
            case KEY_NOT_FOUND, WEBHOOK_NOT_FOUND, ROUTE_NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case KEY_LIMIT_REACHED, WEBHOOK_LIMIT_REACHED, ROTATION_IN_PROGRESS, ROTATION_SUPERSEDED, IDEMPOTENCY_IN_PROGRESS,
                 WEBHOOK_ROTATION_CONFLICT -> 409;
            case PAYLOAD_TOO_LARGE, TOO_MANY_TOKENS -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case IDEMPOTENCY_KEY_REUSED -> 422;
            case DEPENDENCY_UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    public static ApiResponse of(KeywardException e, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (e.retryAfterSeconds() != null) {
            headers.put("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        return of(e.code(), e.detail(), requestId, headers);
    }

    public static ApiResponse of(ErrorCode code, String detail, String requestId,
                                                  Map<String, String> headers) {
        return of(status(code), code.code(), detail, requestId, headers);
    }

    /**
     * A problem with a status and code of its own: for what answers in front of the functions (the
     * local API's HTTP server refusing a malformed request), in the same shape.
     */
    public static ApiResponse of(int status, String code, String detail, String requestId,
                                                  Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title(status));
        body.put("status", status);
        body.put("code", code);
        body.put("detail", detail);
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        return Responses.withBody(status, CONTENT_TYPE, JsonBodies.write(body), headers);
    }

    /** The status's reason phrase (RFC 9110), which is also the problem's title. */
    public static String title(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 500 ? "Internal Server Error" : status >= 400 ? "Bad Request" : "OK";
        };
    }
}
