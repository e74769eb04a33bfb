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
    private final InMemoryAuditTrail audit = new InMemoryAuditTrail();
    private final TestClock clock = new TestClock(START);
    private final RecordingLog log = new RecordingLog();
    private final KeyService service = new KeyService(store, store, vault, audit, clock, 100, log);

    private static Map<String, Object> retention(Object days) {
        Map<String, Object> members = new HashMap<>();
        members.put("expiredKeyRetentionDays", days);
        return members;
    }

    @Test
    void deleteExpiredKeys_shouldDeleteAKeyOnceItHasBeenExpiredForTheRetentionPeriod_asBySystem() {
        service.updateSettings("acme", retention(30), ADMIN);
        KeyWithSecret key = service.create("acme", "Old", "2026-11-28T10:00:00Z", null, ADMIN);
        String id = key.key().id();

        clock.advance(Duration.ofDays(31).minusSeconds(1)); // expired 30 days minus a second ago
        assertEquals(0, service.deleteExpiredKeys());
        assertTrue(store.find("acme", id).isPresent());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, service.deleteExpiredKeys());

        assertTrue(store.find("acme", id).isEmpty());
        assertTrue(store.clients.isEmpty(), "the Client ID goes with it");
        assertTrue(vault.secrets.isEmpty(), "and the secret");
        assertTrue(store.notes.isEmpty());
        assertEquals(List.of("key.created " + id, "key.deleted " + id), audit.actions());
        assertEquals(KeyService.SYSTEM, audit.events.get(1).caller());
        assertEquals(0, service.deleteExpiredKeys(), "nothing left to do");
    }

    @Test
    void deleteExpiredKeys_shouldKeepExpiredKeys_ofAccountsThatDidNotOptIn_orOptedOut() {
        KeyWithSecret kept = service.create("acme", "Kept", "2026-11-28T10:00:00Z", null, ADMIN);
        service.updateSettings("globex", retention(1), ADMIN);
        KeyWithSecret optedOut = service.create("globex", "Opted out", "2026-11-28T10:00:00Z", null, ADMIN);
        service.updateSettings("globex", retention(null), ADMIN);
        KeyWithSecret never = service.create("initech", "Never expires", null, null, ADMIN);
        service.updateSettings("initech", retention(1), ADMIN);

        clock.advance(Duration.ofDays(3650));

        assertEquals(0, service.deleteExpiredKeys());
        assertTrue(store.find("acme", kept.key().id()).isPresent());
        assertTrue(store.find("globex", optedOut.key().id()).isPresent());
        assertTrue(store.find("initech", never.key().id()).isPresent());
        assertNull(service.settings("globex").expiredKeyRetentionDays());
    }

    @Test
    void deleteExpiredKeys_shouldKeepAKeyWhoseExpiryAnAdminExtended() {
        service.updateSettings("acme", retention(1), ADMIN);
        KeyWithSecret key = service.create("acme", "Extended", "2026-11-28T10:00:00Z", null, ADMIN);
        clock.advance(Duration.ofDays(1).plusHours(1)); // expired an hour ago
        Map<String, Object> extend = new HashMap<>();
        extend.put("expiresAt", "2027-01-01T00:00:00Z");
        service.update("acme", key.key().id(), extend, ADMIN);
        clock.advance(Duration.ofDays(1));

        assertEquals(0, service.deleteExpiredKeys());
        assertTrue(verifierAllows(key));
    }

    @Test
    void deleteExpiredKeys_shouldGoOnWithTheNextKey_whenOneFails() {
        service.updateSettings("acme", retention(1), ADMIN);
        KeyWithSecret first = service.create("acme", "First", "2026-11-28T10:00:00Z", null, ADMIN);
        KeyWithSecret second = service.create("acme", "Second", "2026-11-28T10:00:00Z", null, ADMIN);
        store.failNextFindOf = first.key().id();
        clock.advance(Duration.ofDays(5));

        assertEquals(1, service.deleteExpiredKeys());

        assertTrue(store.find("acme", first.key().id()).isPresent(), "left for the next run");
        assertTrue(store.find("acme", second.key().id()).isEmpty());
        assertTrue(log.lines.contains("WARN expired_key_not_deleted acme " + first.key().id()), log.lines.toString());
    }

    @Test
    void updateSettings_shouldAcceptOneTo3650Days_orNull_andRefuseAnythingElse() {
        assertEquals(1, service.updateSettings("acme", retention(1), ADMIN).expiredKeyRetentionDays());
        assertEquals(3650, service.updateSettings("acme", retention(3650L), ADMIN).expiredKeyRetentionDays());
        for (Object bad : new Object[] {0, 3651, -1, "30", 1.5, true}) {
            assertEquals(ErrorCode.INVALID_RETENTION_DAYS, assertThrows(KeywardException.class,
                    () -> service.updateSettings("acme", retention(bad), ADMIN), String.valueOf(bad)).code());
        }
        assertEquals(ErrorCode.INVALID_RETENTION_DAYS, assertThrows(KeywardException.class,
                () -> service.updateSettings("acme", Map.of(), ADMIN)).code());
        assertEquals(3650, service.settings("acme").expiredKeyRetentionDays(), "a refused change changes nothing");
        assertNull(service.updateSettings("acme", retention(null), ADMIN).expiredKeyRetentionDays());
    }

    private boolean verifierAllows(KeyWithSecret key) {
        return new KeyVerifier(store, new UsageRecorder(store, log), clock, log).verify(basic(key.key().clientId(), key.clientSecret())).allowed();
    }
}
