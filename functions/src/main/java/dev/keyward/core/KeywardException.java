package dev.keyward.core;

/**
 * A failure the API answers in words. The detail is shown to the caller, so it never holds a
 * secret, a stack trace or an AWS error message.
 */
public class KeywardException extends RuntimeException {
    private final ErrorCode code;
    private final Integer retryAfterSeconds;

    public KeywardException(ErrorCode code, String detail) {
        this(code, detail, null, null);
    }

    public KeywardException(ErrorCode code, String detail, Throwable cause) {
        this(code, detail, cause, null);
    }

    /** @param retryAfterSeconds when the same request may succeed, sent as Retry-After; null when it will not */
    public KeywardException(ErrorCode code, String detail, Throwable cause, Integer retryAfterSeconds) {
        super(detail, cause, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which the same request may succeed, or null when waiting does not help. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public static KeywardException keyNotFound() {
        return new KeywardException(ErrorCode.KEY_NOT_FOUND, "No API key with this id exists in this account.");
    }
}
