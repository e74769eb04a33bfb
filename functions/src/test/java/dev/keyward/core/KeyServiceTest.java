package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyServiceTest {
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryVault vault = new InMemoryVault();
    private final InMemoryAuditTrail audit = store.audit;
    private final RecordingLog log = new RecordingLog();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:15:30.123456Z"), ZoneOffset.UTC);
    private final UseCases service = new UseCases(store, store, vault, audit, clock, 3, log);

    @Test
    void create_shouldStoreSecretThenKey_andAnswerBoth() {
        // WHEN
        KeyWithSecret created = service.creation().create("acme", UseCases.newKey("acme", "  Warehouse Dashboard ", null, null), "arn:aws:iam::1:user/admin");

        // THEN
        ApiKey key = created.key();
        assertEquals("Warehouse Dashboard", key.name());
        assertEquals(Instant.parse("2026-11-27T10:15:30.123Z"), key.createdAt());
        assertEquals("arn:aws:iam::1:user/admin", key.createdBy());
        assertTrue(Credentials.isWellFormedClientId(key.clientId()));
        assertTrue(Credentials.isWellFormedSecret(created.clientSecret()));
        assertEquals(List.of("store " + key.id()), vault.calls);
        assertEquals(created.clientSecret(), vault.secrets.get(InMemoryVault.ref("acme", key.id())));
        assertEquals(Credentials.hash(created.clientSecret()), store.secretHashes.get(key.clientId()));
        assertEquals(List.of("INFO key_created acme " + key.id()), log.lines);
    }

    @Test
    void create_shouldDestroyTheSecret_whenTheKeyCannotBeSaved() {
        // GIVEN
        RuntimeException storeDown = new DependencyUnavailableException("DynamoDB", null);
        store.failNextInsert = storeDown;

        // WHEN
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null));

        // THEN nothing is left: no key, no secret
        assertSame(storeDown, thrown);
        assertTrue(vault.secrets.isEmpty());
        assertEquals(2, vault.calls.size());
        assertTrue(vault.calls.get(1).startsWith("destroy key_"));
        assertEquals(0, store.count("acme"));
    }

    @Test
    void create_shouldReportBothFailures_whenTheCleanupFailsToo() {
        store.failNextInsert = new IllegalStateException("store");
        vault.failDestroy = new IllegalStateException("vault");

        RuntimeException thrown = assertThrows(IllegalStateException.class, () -> service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null));

        assertEquals("store", thrown.getMessage());
        assertEquals("vault", thrown.getSuppressed()[0].getMessage());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("WARN orphan_secret_left acme key_")));
    }

    @Test
    void create_shouldAnswerLimitReached_withoutTouchingTheVault_whenTheAccountIsFull() {
        for (int i = 0; i < 3; i++) {
            service.creation().create("acme", UseCases.newKey("acme", "key " + i, null, null), null);
        }
        vault.calls.clear();

        KeywardException thrown = assertThrows(KeywardException.class, () -> service.creation().create("acme", UseCases.newKey("acme", "one more", null, null), null));

        assertEquals(ErrorCode.KEY_LIMIT_REACHED, thrown.code());
        assertTrue(vault.calls.isEmpty());
        // another account is not affected
        service.creation().create("globex", UseCases.newKey("globex", "first", null, null), null);
    }

    @Test
    void create_shouldRefuseBadInput_beforeAnyStorage() {
        assertEquals(ErrorCode.INVALID_NAME,
                assertThrows(KeywardException.class, () -> service.creation().create("acme", UseCases.newKey("acme", " ", null, null), null)).code());
        assertEquals(ErrorCode.INVALID_ACCOUNT_ID,
                assertThrows(KeywardException.class, () -> service.creation().create("acme/evil", UseCases.newKey("acme/evil", "x", null, null), null)).code());
        assertTrue(vault.calls.isEmpty());
    }

    @Test
    void get_shouldAnswerTheSecret_andRefuseOtherAccounts() {
        KeyWithSecret created = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);

        KeyWithSecret shown = service.views().get("acme", created.key().id(), null);

        assertEquals(created.clientSecret(), shown.clientSecret());
        assertEquals(created.key().clientId(), shown.key().clientId());
        KeywardException other = assertThrows(KeywardException.class, () -> service.views().get("globex", created.key().id(), null));
        KeywardException unknown = assertThrows(KeywardException.class, () -> service.views().get("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", null));
        KeywardException malformed = assertThrows(KeywardException.class, () -> service.views().get("acme", "nope", null));
        assertEquals(ErrorCode.KEY_NOT_FOUND, other.code());
        assertEquals(other.detail(), unknown.detail(), "another account's key must look exactly like an unknown one");
        assertEquals(ErrorCode.KEY_NOT_FOUND, malformed.code());
    }

    @Test
    void get_shouldFailWithoutDetail_whenTheSecretIsMissing() {
        KeyWithSecret created = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        vault.secrets.clear();

        KeywardException thrown = assertThrows(KeywardException.class, () -> service.views().get("acme", created.key().id(), null));

        assertEquals(ErrorCode.INTERNAL, thrown.code());
        assertTrue(log.lines.contains("WARN secret_missing acme " + created.key().id()));
    }

    @Test
    void get_shouldAnswerKeyNotFound_whenTheKeyIsDeletedWhileItsSecretIsRead() {
        // GIVEN a delete that completes between the get's read of the key and its read of the secret
        KeyWithSecret created = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        vault.beforeRead = () -> service.deletion().delete("acme", created.key().id(), null);

        // WHEN
        KeywardException thrown = assertThrows(KeywardException.class, () -> service.views().get("acme", created.key().id(), null));

        // THEN the answer a moment later would have been: no such key
        assertEquals(ErrorCode.KEY_NOT_FOUND, thrown.code());
        assertFalse(log.lines.stream().anyMatch(line -> line.contains("secret_missing")), log.lines.toString());
    }

    @Test
    void delete_shouldRemoveTheKeyBeforeTheSecret() {
        KeyWithSecret created = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        vault.calls.clear();

        service.deletion().delete("acme", created.key().id(), null);

        assertTrue(store.find("acme", created.key().id()).isEmpty());
        assertFalse(store.secretHashes.containsKey(created.key().clientId()));
        assertEquals(List.of("destroy " + created.key().id()), vault.calls);
        assertTrue(vault.secrets.isEmpty());
        assertEquals(ErrorCode.KEY_NOT_FOUND,
                assertThrows(KeywardException.class, () -> service.deletion().delete("acme", created.key().id(), null)).code());
    }

    @Test
    void delete_shouldStillSucceed_whenTheSecretCannotBeDestroyed() {
        KeyWithSecret created = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        vault.failDestroy = new DependencyUnavailableException("Secrets Manager", null);

        service.deletion().delete("acme", created.key().id(), null);

        assertTrue(store.find("acme", created.key().id()).isEmpty(), "the key is revoked whatever the vault does");
        assertTrue(log.lines.contains("WARN orphan_secret_left acme " + created.key().id()));
    }

    @Test
    void delete_shouldRefuseAnotherAccountsKey() {
        KeyWithSecret created = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);

        assertThrows(KeywardException.class, () -> service.deletion().delete("globex", created.key().id(), null));

        assertTrue(store.find("acme", created.key().id()).isPresent());
    }

    @Test
    void list_shouldPageNewestFirst_untilNoCursorIsLeft() {
        UseCases roomy = new UseCases(store, store, vault, audit, Clock.systemUTC(), 100, log);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(roomy.creation().create("acme", UseCases.newKey("acme", "key " + i, null, null), null).key().id());
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            KeyPage page = roomy.views().list("acme", 2, cursor);
            page.keys().forEach(k -> seen.add(k.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);

        assertEquals(3, pages);
        java.util.Collections.reverse(created);
        assertEquals(created, seen);
    }

    @Test
    void list_shouldRefuseLimitsOutOfRange_andForeignCursors() {
        assertEquals(ErrorCode.INVALID_LIMIT, assertThrows(KeywardException.class, () -> service.views().list("acme", 0, null)).code());
        assertEquals(ErrorCode.INVALID_LIMIT, assertThrows(KeywardException.class, () -> service.views().list("acme", 101, null)).code());
        assertEquals(ErrorCode.INVALID_CURSOR, assertThrows(KeywardException.class, () -> service.views().list("acme", 10, "abc")).code());
        KeyPage empty = service.views().list("acme", null, null);
        assertTrue(empty.keys().isEmpty());
        assertNull(empty.nextCursor());
    }

    @Test
    void keyIds_shouldDiffer_andSortInCreationOrder() {
        UseCases roomy = new UseCases(store, store, vault, audit, clock, 100, log);
        String first = roomy.creation().create("acme", UseCases.newKey("acme", "a", null, null), null).key().id();
        String second = roomy.creation().create("acme", UseCases.newKey("acme", "b", null, null), null).key().id();

        assertNotEquals(first, second);
        assertTrue(first.compareTo(second) < 0, "same millisecond, still ordered: " + first + " < " + second);
    }

    @Test
    void create_shouldLeaveNoNote_whenItSucceeds_orCleansUpAfterItself() {
        service.creation().create("acme", UseCases.newKey("acme", "kept", null, null), null);
        store.failNextInsert = new IllegalStateException("store");
        assertThrows(IllegalStateException.class, () -> service.creation().create("acme", UseCases.newKey("acme", "refused", null, null), null));

        assertTrue(store.notes.isEmpty(), "nothing is left for the sweep: " + store.notes);
    }

    @Test
    void sweep_shouldDestroyTheSecret_aFailedDeleteLeftBehind() {
        // GIVEN a delete whose secret could not be destroyed
        KeyWithSecret deleted = service.creation().create("acme", UseCases.newKey("acme", "deleted", null, null), null);
        KeyWithSecret kept = service.creation().create("acme", UseCases.newKey("acme", "kept", null, null), null);
        vault.failDestroy = new DependencyUnavailableException("Secrets Manager", null);
        service.deletion().delete("acme", deleted.key().id(), null);
        vault.failDestroy = null;
        assertEquals(1, store.notes.size());

        // WHEN the sweep runs later
        UseCases later = new UseCases(store, store, vault, audit, Clock.offset(clock, java.time.Duration.ofMinutes(16)), 3, log);
        int destroyed = later.housekeeping().sweepOrphanSecrets(java.time.Duration.ofMinutes(15)).destroyed();

        // THEN the orphan is gone, the live key's secret is not, and nothing stays noted
        assertEquals(1, destroyed);
        assertFalse(vault.secrets.containsKey(InMemoryVault.ref("acme", deleted.key().id())));
        assertTrue(vault.secrets.containsKey(InMemoryVault.ref("acme", kept.key().id())));
        assertTrue(store.notes.isEmpty());
    }

    @Test
    void sweep_shouldLeaveYoungNotesAlone_sinceACreateMayStillBeUnderWay() {
        // GIVEN a create that stored its secret a minute ago and has not saved its key yet
        store.noteSecret("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", clock.instant().minusSeconds(60));
        vault.store("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", "kw_cid_x", "kw_sec_x", "create");

        assertEquals(0, service.housekeeping().sweepOrphanSecrets(java.time.Duration.ofMinutes(15)).destroyed());

        assertTrue(vault.secrets.containsKey(InMemoryVault.ref("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3")));
        assertEquals(1, store.notes.size());
    }
}
