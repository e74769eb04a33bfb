package dev.keyward.core;

/**
 * A failure the API answers in words. The detail is shown to the caller, so it never holds a
 * secret, a stack trace or an AWS error message.
 */
public class KeywardException extends RuntimeException {
    private final ErrorCode code;

    public KeywardException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public KeywardException(ErrorCode code, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.code = code;
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
