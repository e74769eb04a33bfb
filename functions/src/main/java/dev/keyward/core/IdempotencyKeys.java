package dev.keyward.core;

/** The {@code Idempotency-Key} header's format: 1 to 255 printable ASCII characters, not all spaces. */
public final class IdempotencyKeys {
    public static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    public static void require(String key) {
        boolean valid = key != null && !key.isBlank() && key.length() <= MAX_LENGTH
                && key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
        if (!valid) {
            throw new KeywardException(ErrorCode.INVALID_IDEMPOTENCY_KEY,
                    "Idempotency-Key must be 1 to " + MAX_LENGTH + " printable ASCII characters.");
        }
    }
}
