package dev.keyward.core;

import static dev.keyward.core.KeyVerifierTest.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Writes whose outcome is unknown are resolved by reading state: the answer tells the truth. */
class KeyServiceOutcomeTest {
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryVault vault = new InMemoryVault();
    private final InMemoryAuditTrail audit = store.audit;
    private final RecordingLog log = new RecordingLog();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final UseCases service = new UseCases(store, store, vault, audit, clock, 3, log);
    private final KeyVerifier verifier = new KeyVerifier(store, new UsageRecorder(store, EventLog.NONE), clock, EventLog.NONE);

    private static OutcomeUnknownException lost() {
        return new OutcomeUnknownException("DynamoDB", null);
    }

    @Test
    void create_shouldAnswerTheKey_andKeepItsSecret_whenTheSavedKeysAnswerWasLost() {
        store.loseNextInsertAnswer = lost();

        KeyWithSecret created = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);

        assertEquals(created.clientSecret(), vault.secrets.get(InMemoryVault.ref("acme", created.key().id())));
        assertTrue(vault.calls.stream().noneMatch(c -> c.startsWith("destroy")), vault.calls.toString());
        assertTrue(verifier.verify(basic(created.key().clientId(), created.clientSecret())).allowed());
    }

    @Test
    void create_shouldAnswer503_andLeaveTheSecretNotedNotDestroyed_whenTheKeyIsNotThere() {
        OutcomeUnknownException unknown = lost();
        store.failNextInsert = unknown;

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null));

        assertSame(unknown, thrown);
        assertEquals(1, vault.secrets.size(), "a late transaction may still save the key: its secret must stay");
        assertEquals(1, store.notes.size(), "noted, so the sweep destroys it if no key ever comes");
        assertEquals(0, store.count("acme"));
    }

    @Test
    void create_shouldDestroyTheSecret_whenTheTransactionWasRefused() {
        store.failNextInsert = new DependencyUnavailableException("DynamoDB", null);

        assertThrows(DependencyUnavailableException.class, () -> service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null));

        assertTrue(vault.secrets.isEmpty());
        assertTrue(store.notes.isEmpty());
    }

    @Test
    void delete_shouldAnswerDone_whenTheTransactionsAnswerWasLostButTheKeyIsGone() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);
        store.loseNextDeleteAnswer = lost();

        service.deletion().delete("acme", key.key().id(), null);

        assertFalse(verifier.verify(basic(key.key().clientId(), key.clientSecret())).allowed());
        assertTrue(vault.secrets.isEmpty(), "and the secret is destroyed");
    }

    @Test
    void delete_shouldAnswer503_whenTheOutcomeIsUnknownAndTheKeyIsStillThere() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);
        OutcomeUnknownException unknown = lost();
        store.failDelete = unknown;

        assertSame(unknown, assertThrows(OutcomeUnknownException.class, () -> service.deletion().delete("acme", key.key().id(), null)));

        assertTrue(verifier.verify(basic(key.key().clientId(), key.clientSecret())).allowed());
    }

    @Test
    void rotate_shouldAnswer200_notRotationInProgress_whenTheLastWriteWasAppliedButAnsweredRefused() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);
        store.appliedButRefusedRevision = 2;

        RotatedKey rotated = service.rotation().rotate("acme", key.key().id(), 0L, null);

        assertTrue(verifier.verify(basic(key.key().clientId(), rotated.key().clientSecret())).allowed());
        assertFalse(verifier.verify(basic(key.key().clientId(), key.clientSecret())).allowed());
    }

    @Test
    void rotate_shouldGoOn_whenTheFirstWritesAnswerWasLost() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);
        store.loseReplaceAnswer = lost();
        store.losingRevision = 1;

        RotatedKey rotated = service.rotation().rotate("acme", key.key().id(), 0L, null);

        assertEquals(rotated.key().clientSecret(), vault.secrets.get(InMemoryVault.ref("acme", key.key().id())));
        assertTrue(verifier.verify(basic(key.key().clientId(), rotated.key().clientSecret())).allowed());
    }

    @Test
    void rotate_shouldGoOn_whenTheVaultsAnswerWasLostButItHoldsTheNewSecret() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);
        vault.loseReplaceAnswer = new OutcomeUnknownException("Secrets Manager", null);

        RotatedKey rotated = service.rotation().rotate("acme", key.key().id(), 0L, null);

        assertTrue(verifier.verify(basic(key.key().clientId(), rotated.key().clientSecret())).allowed());
    }

    @Test
    void get_shouldAnswerNotFound_whenTheKeyWasDeletedBetweenItsReadAndTheSecrets() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);
        String ref = InMemoryVault.ref("acme", key.key().id());
        UseCases racing = new UseCases(store, store, new InMemoryVault() {
            @Override
            public java.util.Optional<String> read(String secretRef) {
                store.delete(store.find("acme", key.key().id()).orElseThrow(), clock.instant(), java.util.List.of());
                return java.util.Optional.empty();
            }
        }, audit, clock, 3, log);

        KeywardException thrown = assertThrows(KeywardException.class, () -> racing.views().get("acme", key.key().id(), null));

        assertEquals(ErrorCode.KEY_NOT_FOUND, thrown.code());
        assertTrue(log.lines.stream().noneMatch(l -> l.contains("secret_missing")), ref);
    }

    @Test
    void get_shouldAnswer500_andLogSecretMissing_whenAnExistingKeysSecretIsGone() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);
        vault.secrets.clear();

        KeywardException thrown = assertThrows(KeywardException.class, () -> service.views().get("acme", key.key().id(), null));

        assertEquals(ErrorCode.INTERNAL, thrown.code());
        assertTrue(log.lines.contains("WARN secret_missing acme " + key.key().id()), log.lines.toString());
    }
}
