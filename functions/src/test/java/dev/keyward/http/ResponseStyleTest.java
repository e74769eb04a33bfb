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
    private static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");
    private static final ApiKey NEVER_USED = new ApiKey("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", "Warehouse Dashboard",
            "ck_3kTMd9QwZr1bX8pLvN2sYe", Instant.parse("2026-11-27T18:05:37Z"), "user/jane", null);

    @Test
    void key_shouldWriteLastUsedAtAsNull_whenNeverUsed() {
        Map<String, Object> json = KeyJson.withoutSecret(NEVER_USED, NOW);

        assertTrue(json.containsKey("lastUsedAt"), json.toString());
        assertNull(json.get("lastUsedAt"));
        assertEquals("2026-11-27T18:05:37.000Z", json.get("createdAt"), "milliseconds even when they are zero");
    }

    @Test
    void key_shouldWriteEveryTimeWithMilliseconds_whenUsedOnAWholeSecond() {
        ApiKey used = new ApiKey("acme", NEVER_USED.id(), NEVER_USED.name(), NEVER_USED.clientId(),
                Instant.parse("2026-11-27T18:05:37.123Z"), "user/jane", Instant.parse("2026-11-27T19:00:02Z"));

        Map<String, Object> json = KeyJson.withSecret(new KeyWithSecret(used, "kw_sec_secret"), NOW);

        assertEquals(List.of("id", "name", "clientId", "clientSecret", "createdAt", "lastUsedAt", "expiresAt", "status", "enabled",
                        "scopes", "allowedCidrs", "leaked"), List.copyOf(json.keySet()));
        assertEquals("2026-11-27T18:05:37.123Z", json.get("createdAt"));
        assertEquals("2026-11-27T19:00:02.000Z", json.get("lastUsedAt"));
    }

    @Test
    void key_shouldWriteExpiresAtAsNull_whenItNeverExpires_andItsStatusAndScopes() {
        Map<String, Object> never = KeyJson.withoutSecret(NEVER_USED, NOW);
        ApiKey expiring = new ApiKey("acme", NEVER_USED.id(), NEVER_USED.name(), NEVER_USED.clientId(),
                NEVER_USED.createdAt(), "user/jane", null, NOW, new java.util.TreeSet<>(List.of("b:x", "a:y")));

        assertTrue(never.containsKey("expiresAt"));
        assertNull(never.get("expiresAt"));
        assertEquals("active", never.get("status"));
        assertEquals(List.of(), never.get("scopes"));
        Map<String, Object> json = KeyJson.withoutSecret(expiring, NOW);
        assertEquals("2026-11-28T00:00:00.000Z", json.get("expiresAt"));
        assertEquals("expired", json.get("status"), "expired from its expiresAt on");
        assertEquals("active", KeyJson.withoutSecret(expiring, NOW.minusMillis(1)).get("status"));
        assertEquals(List.of("a:y", "b:x"), json.get("scopes"));
    }

    @Test
    void time_shouldDropSubMillisecondDigits() {
        assertEquals("2026-11-27T18:05:37.123Z", KeyJson.time(Instant.parse("2026-11-27T18:05:37.123456789Z")));
        assertNull(KeyJson.time(null));
    }

    @Test
    void rotated_shouldWritePreviousSecretValidUntilAsNull_whenNoGracePeriod() {
        Map<String, Object> none = KeyJson.rotated(new RotatedKey(new KeyWithSecret(NEVER_USED, "cs_new"), null), NOW);
        Map<String, Object> graced = KeyJson.rotated(new RotatedKey(new KeyWithSecret(NEVER_USED, "cs_new"),
                Instant.parse("2026-11-27T10:10:00Z")), NOW);

        assertTrue(none.containsKey("previousSecretValidUntil"));
        assertNull(none.get("previousSecretValidUntil"));
        assertEquals("2026-11-27T10:10:00.000Z", graced.get("previousSecretValidUntil"));
    }

    @Test
    void pages_shouldWriteNextCursorAndCallerAsNull_whenAbsent() {
        Map<String, Object> keys = KeyJson.page(new KeyPage(List.of(NEVER_USED), null), NOW);
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
