package dev.keyward.core;

import static dev.keyward.core.KeyVerifierTest.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expired keys deleted after the account's retention period, and only for accounts that opted in. */
class ExpiredKeyDeletionTest {
    private static final String ADMIN = "arn:aws:sts::1:assumed-role/KeywardAdmin/alice";
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryVault vault = new InMemoryVault();
    private final InMemoryAuditTrail audit = store.audit;
    private final TestClock clock = new TestClock(START);
    private final RecordingLog log = new RecordingLog();
    private final UseCases service = new UseCases(store, store, vault, audit, clock, 100, log);

    private static Map<String, Object> retention(Object days) {
        Map<String, Object> members = new HashMap<>();
        members.put("expiredKeyRetentionDays", days);
        return members;
    }

    @Test
    void deleteExpiredKeys_shouldDeleteAKeyOnceItHasBeenExpiredForTheRetentionPeriod_asBySystem() {
        service.settings().update("acme", UseCases.settingsChange("acme", retention(30)), ADMIN);
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Old", "2026-11-28T10:00:00Z", null), ADMIN);
        String id = key.key().id();

        clock.advance(Duration.ofDays(31).minusSeconds(1)); // expired 30 days minus a second ago
        assertEquals(0, service.housekeeping().deleteExpiredKeys());
        assertTrue(store.find("acme", id).isPresent());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, service.housekeeping().deleteExpiredKeys());

        assertTrue(store.find("acme", id).isEmpty());
        assertTrue(store.clients.isEmpty(), "the Client ID goes with it");
        assertTrue(vault.secrets.isEmpty(), "and the secret");
        assertTrue(store.notes.isEmpty());
        assertEquals(List.of("key.created " + id, "key.deleted " + id), audit.actions());
        assertEquals(Housekeeping.SYSTEM, audit.events.get(1).caller());
        assertEquals(0, service.housekeeping().deleteExpiredKeys(), "nothing left to do");
    }

    @Test
    void deleteExpiredKeys_shouldKeepExpiredKeys_ofAccountsThatDidNotOptIn_orOptedOut() {
        KeyWithSecret kept = service.creation().create("acme", UseCases.newKey("acme", "Kept", "2026-11-28T10:00:00Z", null), ADMIN);
        service.settings().update("globex", UseCases.settingsChange("globex", retention(1)), ADMIN);
        KeyWithSecret optedOut = service.creation().create("globex", UseCases.newKey("globex", "Opted out", "2026-11-28T10:00:00Z", null), ADMIN);
        service.settings().update("globex", UseCases.settingsChange("globex", retention(null)), ADMIN);
        KeyWithSecret never = service.creation().create("initech", UseCases.newKey("initech", "Never expires", null, null), ADMIN);
        service.settings().update("initech", UseCases.settingsChange("initech", retention(1)), ADMIN);

        clock.advance(Duration.ofDays(3650));

        assertEquals(0, service.housekeeping().deleteExpiredKeys());
        assertTrue(store.find("acme", kept.key().id()).isPresent());
        assertTrue(store.find("globex", optedOut.key().id()).isPresent());
        assertTrue(store.find("initech", never.key().id()).isPresent());
        assertNull(service.settings().settings("globex").expiredKeyRetentionDays());
    }

    @Test
    void deleteExpiredKeys_shouldKeepAKeyWhoseExpiryAnAdminExtended() {
        service.settings().update("acme", UseCases.settingsChange("acme", retention(1)), ADMIN);
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Extended", "2026-11-28T10:00:00Z", null), ADMIN);
        clock.advance(Duration.ofDays(1).plusHours(1)); // expired an hour ago
        Map<String, Object> extend = new HashMap<>();
        extend.put("expiresAt", "2027-01-01T00:00:00Z");
        service.updates().update("acme", key.key().id(), UseCases.keyUpdate("acme", extend), ADMIN);
        clock.advance(Duration.ofDays(1));

        assertEquals(0, service.housekeeping().deleteExpiredKeys());
        assertTrue(verifierAllows(key));
    }

    @Test
    void deleteExpiredKeys_shouldGoOnWithTheNextKey_whenOneFails() {
        service.settings().update("acme", UseCases.settingsChange("acme", retention(1)), ADMIN);
        KeyWithSecret first = service.creation().create("acme", UseCases.newKey("acme", "First", "2026-11-28T10:00:00Z", null), ADMIN);
        KeyWithSecret second = service.creation().create("acme", UseCases.newKey("acme", "Second", "2026-11-28T10:00:00Z", null), ADMIN);
        store.failNextFindOf = first.key().id();
        clock.advance(Duration.ofDays(5));

        assertEquals(1, service.housekeeping().deleteExpiredKeys());

        assertTrue(store.find("acme", first.key().id()).isPresent(), "left for the next run");
        assertTrue(store.find("acme", second.key().id()).isEmpty());
        assertTrue(log.lines.contains("WARN expired_key_not_deleted acme " + first.key().id()), log.lines.toString());
    }

    @Test
    void updateSettings_shouldAcceptOneTo3650Days_orNull_andRefuseAnythingElse() {
        assertEquals(1, service.settings().update("acme", UseCases.settingsChange("acme", retention(1)), ADMIN).expiredKeyRetentionDays());
        assertEquals(3650, service.settings().update("acme", UseCases.settingsChange("acme", retention(3650L)), ADMIN).expiredKeyRetentionDays());
        for (Object bad : new Object[] {0, 3651, -1, "30", 1.5, true}) {
            assertEquals(ErrorCode.INVALID_RETENTION_DAYS, assertThrows(KeywardException.class,
                    () -> service.settings().update("acme", UseCases.settingsChange("acme", retention(bad)), ADMIN), String.valueOf(bad)).code());
        }
        assertEquals(ErrorCode.INVALID_SETTINGS, assertThrows(KeywardException.class,
                () -> service.settings().update("acme", UseCases.settingsChange("acme", Map.of()), ADMIN)).code());
        assertEquals(3650, service.settings().settings("acme").expiredKeyRetentionDays(), "a refused change changes nothing");
        assertNull(service.settings().update("acme", UseCases.settingsChange("acme", retention(null)), ADMIN).expiredKeyRetentionDays());
    }

    private boolean verifierAllows(KeyWithSecret key) {
        return new KeyVerifier(store, new UsageRecorder(store, log), clock, log).verify(basic(key.key().clientId(), key.clientSecret())).allowed();
    }
}
