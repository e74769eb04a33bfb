package dev.keyward.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.core.ApiKey;
import dev.keyward.core.AuditAction;
import dev.keyward.core.AuditEvent;
import dev.keyward.core.AuditPage;
import dev.keyward.core.KeyPage;
import dev.keyward.core.KeyWithSecret;
import dev.keyward.core.RotatedKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One response style: a member without a value is written as null, and every time has milliseconds. */
class ResponseStyleTest {
    private static final ApiKey NEVER_USED = new ApiKey("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", "Warehouse Dashboard",
            "ck_3kTMd9QwZr1bX8pLvN2sYe", Instant.parse("2026-11-27T18:05:37Z"), "user/jane", null);

    @Test
    void key_shouldWriteLastUsedAtAsNull_whenNeverUsed() {
        Map<String, Object> json = KeyJson.withoutSecret(NEVER_USED);

        assertTrue(json.containsKey("lastUsedAt"), json.toString());
        assertNull(json.get("lastUsedAt"));
        assertEquals("2026-11-27T18:05:37.000Z", json.get("createdAt"), "milliseconds even when they are zero");
    }

    @Test
    void key_shouldWriteEveryTimeWithMilliseconds_whenUsedOnAWholeSecond() {
        ApiKey used = new ApiKey("acme", NEVER_USED.id(), NEVER_USED.name(), NEVER_USED.clientId(),
                Instant.parse("2026-11-27T18:05:37.123Z"), "user/jane", Instant.parse("2026-11-27T19:00:02Z"));

        Map<String, Object> json = KeyJson.withSecret(new KeyWithSecret(used, "kw_sec_secret"));

        assertEquals(List.of("id", "name", "clientId", "clientSecret", "createdAt", "lastUsedAt", "leaked"), List.copyOf(json.keySet()));
        assertEquals("2026-11-27T18:05:37.123Z", json.get("createdAt"));
        assertEquals("2026-11-27T19:00:02.000Z", json.get("lastUsedAt"));
    }

    @Test
    void time_shouldDropSubMillisecondDigits() {
        assertEquals("2026-11-27T18:05:37.123Z", KeyJson.time(Instant.parse("2026-11-27T18:05:37.123456789Z")));
        assertNull(KeyJson.time(null));
    }

    @Test
    void rotated_shouldWritePreviousSecretValidUntilAsNull_whenNoGracePeriod() {
        Map<String, Object> none = KeyJson.rotated(new RotatedKey(new KeyWithSecret(NEVER_USED, "cs_new"), null));
        Map<String, Object> graced = KeyJson.rotated(new RotatedKey(new KeyWithSecret(NEVER_USED, "cs_new"),
                Instant.parse("2026-11-27T10:10:00Z")));

        assertTrue(none.containsKey("previousSecretValidUntil"));
        assertNull(none.get("previousSecretValidUntil"));
        assertEquals("2026-11-27T10:10:00.000Z", graced.get("previousSecretValidUntil"));
    }

    @Test
    void pages_shouldWriteNextCursorAndCallerAsNull_whenAbsent() {
        Map<String, Object> keys = KeyJson.page(new KeyPage(List.of(NEVER_USED), null));
        Map<String, Object> audit = AuditJson.page(new AuditPage(List.of(new AuditEvent("acme", "evt_01", AuditAction.CREATED,
                NEVER_USED.id(), Instant.parse("2026-11-27T18:05:37Z"), null)), null));

        assertTrue(keys.containsKey("nextCursor"));
        assertNull(keys.get("nextCursor"));
        @SuppressWarnings("unchecked")
        Map<String, Object> event = ((List<Map<String, Object>>) audit.get("events")).get(0);
        assertTrue(event.containsKey("caller"), event.toString());
        assertNull(event.get("caller"));
        assertEquals("2026-11-27T18:05:37.000Z", event.get("at"));
    }
}
