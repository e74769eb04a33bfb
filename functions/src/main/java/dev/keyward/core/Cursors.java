package dev.keyward.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/** List cursors: opaque to callers, the last id seen (a key's or an audit event's) underneath. */
public final class Cursors {
    private static final String VERSION = "1:";

    private Cursors() {
    }

    public static String encode(String id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws KeywardException {@link ErrorCode#INVALID_CURSOR} for anything this class did not make */
    public static String decode(String cursor) {
        return decode(cursor, KeyIds::isWellFormed);
    }

    /** Like {@link #decode(String)}, for cursors over an audit trail. */
    public static String decodeAuditId(String cursor) {
        return decode(cursor, AuditIds::isWellFormed);
    }

    private static String decode(String cursor, Predicate<String> wellFormed) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (raw.startsWith(VERSION) && wellFormed.test(raw.substring(VERSION.length()))) {
                return raw.substring(VERSION.length());
            }
        } catch (IllegalArgumentException ignored) {
            // not base64url: answered below like any other foreign cursor
        }
        throw new KeywardException(ErrorCode.INVALID_CURSOR,
                "The cursor is not one this API returned; start again without it.");
    }
}
