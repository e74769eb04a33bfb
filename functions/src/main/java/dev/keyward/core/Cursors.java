package dev.keyward.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** List cursors: opaque to callers, the last key id seen underneath. */
public final class Cursors {
    private static final String VERSION = "1:";

    private Cursors() {
    }

    public static String encode(String keyId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + keyId).getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws KeywardException {@link ErrorCode#INVALID_CURSOR} for anything this class did not make */
    public static String decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (raw.startsWith(VERSION) && KeyIds.isWellFormed(raw.substring(VERSION.length()))) {
                return raw.substring(VERSION.length());
            }
        } catch (IllegalArgumentException ignored) {
            // not base64url: answered below like any other foreign cursor
        }
        throw new KeywardException(ErrorCode.INVALID_CURSOR,
                "The cursor is not one this API returned; start again without it.");
    }
}
