package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a refused expiry tells the caller: the words differ by mistake, so that it can be fixed. */
class ExpiriesTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private static KeywardException refused(Object raw) {
        return assertThrows(KeywardException.class, () -> Expiries.parse((String) raw, NOW));
    }

    @Test
    void anOffsetOtherThanZ_shouldBeToldToUseUtc_andGarbageToUseRfc3339() {
        KeywardException offset = refused("2027-01-31T00:00:00+02:00");
        KeywardException garbage = refused("next tuesday");

        assertEquals(ErrorCode.INVALID_EXPIRES_AT, offset.code());
        assertEquals("'expiresAt' must be in UTC: end it with Z, such as \"2027-01-31T00:00:00Z\".", offset.detail());
        assertEquals("'expiresAt' must be an RFC 3339 timestamp in UTC, such as \"2027-01-31T00:00:00Z\".", garbage.detail());
        assertEquals(ErrorCode.INVALID_EXPIRES_AT, garbage.code());
    }

    @Test
    void parse_shouldCheckTheRange_parseFormatShouldNot() {
        assertEquals("'expiresAt' must be at least 60 seconds in the future.", refused("2026-11-27T10:00:30Z").detail());
        assertEquals(Instant.parse("2026-11-27T10:00:30Z"), Expiries.parseFormat("2026-11-27T10:00:30Z"),
                "a replay compares the format alone");
    }
}
