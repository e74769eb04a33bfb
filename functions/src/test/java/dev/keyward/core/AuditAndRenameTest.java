package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditAndRenameTest {
    private static final String ADMIN = "arn:aws:sts::1:assumed-role/KeywardAdmin/alice";
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryVault vault = new InMemoryVault();
    private final InMemoryAuditTrail audit = store.audit;
    private final RecordingLog log = new RecordingLog();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final UseCases service = new UseCases(store, store, vault, audit, clock, 100, log);

    @Test
    void rename_shouldChangeOnlyTheName() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), ADMIN);

        ApiKey renamed = service.updates().rename("acme", key.key().id(), "  Reporting Tool ", ADMIN);

        assertEquals("Reporting Tool", renamed.name());
        assertEquals(key.key().clientId(), renamed.clientId());
        assertEquals(key.key().createdAt(), renamed.createdAt());
        assertEquals(key.clientSecret(), service.views().get("acme", key.key().id(), ADMIN).clientSecret());
    }

    @Test
    void rename_shouldRefuseBadNamesAndUnknownKeys() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), ADMIN);

        assertEquals(ErrorCode.INVALID_NAME, assertThrows(KeywardException.class,
                () -> service.updates().rename("acme", key.key().id(), "\n", ADMIN)).code());
        assertEquals(ErrorCode.KEY_NOT_FOUND, assertThrows(KeywardException.class,
                () -> service.updates().rename("globex", key.key().id(), "Mine now", ADMIN)).code());
        assertEquals("Warehouse Dashboard", store.find("acme", key.key().id()).orElseThrow().key().name());
    }

    @Test
    void everyChangeAndView_shouldBeAudited_withCallerAndTime_butNoName() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Secret Project Name", null, null), ADMIN);
        String id = key.key().id();
        clock.advance(Duration.ofSeconds(1));
        service.views().get("acme", id, ADMIN);
        service.updates().rename("acme", id, "Another Secret Name", ADMIN);
        service.rotation().rotate("acme", id, 60L, ADMIN);
        service.deletion().delete("acme", id, ADMIN);

        assertEquals(List.of("key.created " + id, "key.secret_viewed " + id, "key.renamed " + id,
                "key.rotated " + id, "key.deleted " + id), audit.actions());
        assertTrue(audit.events.stream().allMatch(e -> ADMIN.equals(e.caller()) && e.accountId().equals("acme")));
        assertEquals(Instant.parse("2026-11-27T10:00:00Z"), audit.events.get(0).at());
        assertEquals(Instant.parse("2026-11-27T10:00:01Z"), audit.events.get(1).at());
        assertFalse(audit.events.toString().contains("Secret"), audit.events.toString());
    }

    @Test
    void get_shouldNotShowTheSecret_whenTheViewCannotBeAudited() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), ADMIN);
        audit.failRecord = new DependencyUnavailableException("DynamoDB", null);

        KeywardException thrown = assertThrows(KeywardException.class, () -> service.views().get("acme", key.key().id(), ADMIN));

        assertEquals(ErrorCode.DEPENDENCY_UNAVAILABLE, thrown.code());
    }

    @Test
    void aChange_shouldBeAuditedWithItsOwnWrite_andNotAtAllWhenTheWriteFails() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), ADMIN);
        store.failDelete = new DependencyUnavailableException("DynamoDB", null);

        assertThrows(DependencyUnavailableException.class, () -> service.deletion().delete("acme", key.key().id(), ADMIN));
        assertEquals(List.of("key.created " + key.key().id()), audit.actions(), "no event for a delete that did not commit");

        service.deletion().delete("acme", key.key().id(), ADMIN);

        assertTrue(store.find("acme", key.key().id()).isEmpty());
        assertEquals(List.of("key.created " + key.key().id(), "key.deleted " + key.key().id()), audit.actions());
        ChangeEvent deleted = audit.published.get(1);
        assertEquals(List.of(EventType.KEY_DELETED, key.key().clientId(), ChangeEvent.Actor.admin(ADMIN), Map.of("reason", "admin")),
                List.of(deleted.type(), deleted.clientId(), deleted.actor(), deleted.data()));
    }

    @Test
    void audit_shouldPageNewestFirst_andOnlyTheAccountsOwn() {
        for (int i = 0; i < 5; i++) {
            service.creation().create("acme", UseCases.newKey("acme", "key " + i, null, null), ADMIN);
        }
        service.creation().create("globex", UseCases.newKey("globex", "theirs", null, null), ADMIN);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            AuditPage page = service.views().audit("acme", 2, cursor);
            page.events().forEach(e -> seen.add(e.id()));
            cursor = page.nextCursor();
        } while (cursor != null);

        List<String> expected = new ArrayList<>(audit.events.stream()
                .filter(e -> e.accountId().equals("acme")).map(AuditEvent::id).toList());
        java.util.Collections.reverse(expected);
        assertEquals(expected, seen);
        assertTrue(seen.stream().allMatch(AuditIds::isWellFormed));
    }

    @Test
    void audit_shouldRefuseKeyCursors_andBadLimits() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), ADMIN);

        assertEquals(ErrorCode.INVALID_CURSOR, assertThrows(KeywardException.class,
                () -> service.views().audit("acme", 10, Cursors.encode(key.key().id()))).code());
        assertEquals(ErrorCode.INVALID_LIMIT, assertThrows(KeywardException.class,
                () -> service.views().audit("acme", 0, null)).code());
        assertNull(service.views().audit("acme", null, null).nextCursor());
    }
}
