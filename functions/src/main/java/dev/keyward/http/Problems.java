package dev.keyward.http;

import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeyService;
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
                 INVALID_GRACE_PERIOD, INVALID_REPORT, INVALID_DAYS -> 400;
            case UNAUTHORIZED, INVALID_REPORT_SIGNATURE -> 401;
            case ACCESS_DENIED -> 403;
            case KEY_NOT_FOUND, ROUTE_NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case KEY_LIMIT_REACHED, ROTATION_IN_PROGRESS -> 409;
            case PAYLOAD_TOO_LARGE, TOO_MANY_TOKENS -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case DEPENDENCY_UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    public static ApiResponse of(KeywardException e, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (e instanceof DependencyUnavailableException unavailable) {
            headers.put("Retry-After", Integer.toString(unavailable.retryAfterSeconds()));
        } else if (e.code() == ErrorCode.ROTATION_IN_PROGRESS) {
            headers.put("Retry-After", Long.toString(KeyService.ROTATION_LEASE.toSeconds()));
        }
        return of(e.code(), e.detail(), requestId, headers);
    }

    public static ApiResponse of(ErrorCode code, String detail, String requestId,
                                                  Map<String, String> headers) {
        int status = status(code);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title(status));
        body.put("status", status);
        body.put("code", code.code());
        body.put("detail", detail);
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        return Responses.withBody(status, CONTENT_TYPE, JsonBodies.write(body), headers);
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}
