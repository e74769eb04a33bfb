package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Create and rotate with an Idempotency-Key, with in-memory stores. */
class IdempotencyTest {
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryVault vault = new InMemoryVault();
    private final InMemoryIdempotencyStore records = new InMemoryIdempotencyStore();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final UseCases service = new UseCases(store, store, vault, store.audit, records, clock, 5,
            new RecordingLog());

    @Test
    void create_shouldAnswerTheSameKey_andCreateOne_whenRepeated() {
        KeyWithSecret first = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "order-42");
        KeyWithSecret again = service.creation().create("acme", UseCases.newKey("acme", " Warehouse Dashboard ", null, null), null, "order-42");

        assertEquals(first.key(), again.key());
        assertEquals(first.clientSecret(), again.clientSecret());
        assertEquals(1, store.count("acme"));
        assertEquals(1, vault.secrets.size());
    }

    @Test
    void create_shouldRefuse422_whenTheKeyIsReusedForAnotherRequest() {
        service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "order-42");

        KeywardException reused = assertThrows(KeywardException.class,
                () -> service.creation().create("acme", UseCases.newKey("acme", "3PL Integration", null, null), null, "order-42"));

        assertEquals(ErrorCode.IDEMPOTENCY_KEY_REUSED, reused.code());
        assertEquals(1, store.count("acme"));
    }

    @Test
    void create_shouldAnswer409WithRetryAfter_whileTheFirstRequestRuns() {
        records.create(new IdempotencyRecord("acme", "order-42", fingerprintOfCreate("Warehouse Dashboard"),
                "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", 1, "another request", clock.instant().plusSeconds(20),
                clock.instant().plus(IdempotencyRecord.WINDOW), null), clock.instant());

        KeywardException busy = assertThrows(KeywardException.class,
                () -> service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "order-42"));

        assertEquals(ErrorCode.IDEMPOTENCY_IN_PROGRESS, busy.code());
        assertEquals(21, busy.retryAfterSeconds());
    }

    @Test
    void create_shouldRunAgainWithTheSameKeyId_afterAFailedAttempt() {
        store.failNextInsert = new DependencyUnavailableException("DynamoDB", null);
        assertThrows(DependencyUnavailableException.class, () -> service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "k1"));

        KeyWithSecret retried = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "k1");

        assertEquals(records.find("acme", "k1").orElseThrow().keyId(), retried.key().id());
        assertEquals(1, store.count("acme"));
    }

    @Test
    void create_shouldAnswerTheKeyALostAttemptSaved_whenTakenOverAfterItsLease() {
        // GIVEN an attempt that saved its key and died before recording its answer
        KeyWithSecret first = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "k1");
        records.records.replaceAll((id, r) -> new IdempotencyRecord(r.accountId(), r.key(), r.fingerprint(), r.keyId(),
                r.attempt(), r.owner(), clock.instant().plus(IdempotencyRecord.LEASE), r.expiresAt(), null));
        assertEquals(ErrorCode.IDEMPOTENCY_IN_PROGRESS, assertThrows(KeywardException.class,
                () -> service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "k1")).code());

        // WHEN the client retries after the lease
        clock.advance(IdempotencyRecord.LEASE.plusSeconds(1));
        KeyWithSecret retried = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "k1");

        // THEN it gets that key and secret, and no second key exists
        assertEquals(first.key(), retried.key());
        assertEquals(first.clientSecret(), retried.clientSecret());
        assertEquals(1, store.count("acme"));
        assertEquals(2, records.find("acme", "k1").orElseThrow().attempt());
    }

    @Test
    void create_shouldGoOn_notAnswerInProgress_whenItsOwnClaimWasAppliedButAnsweredRefused() {
        records.nextWriteAppliedButRefused = true;

        KeyWithSecret created = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "k1");

        assertEquals(1, store.count("acme"));
        assertEquals(created.key(), service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "k1").key());
    }

    @Test
    void create_shouldGoOn_whenItsOwnTakeOverWasAppliedButAnsweredRefused() {
        store.failNextInsert = new DependencyUnavailableException("DynamoDB", null);
        assertThrows(DependencyUnavailableException.class, () -> service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "k1"));
        records.nextWriteAppliedButRefused = true;

        KeyWithSecret created = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "k1");

        assertEquals(records.find("acme", "k1").orElseThrow().keyId(), created.key().id());
        assertEquals(1, store.count("acme"));
    }

    @Test
    void create_shouldMakeANewKey_afterTheRecordExpired() {
        KeyWithSecret first = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "order-42");
        clock.advance(IdempotencyRecord.WINDOW.plus(Duration.ofSeconds(1)));

        KeyWithSecret later = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null, "order-42");

        assertNotEquals(first.key().id(), later.key().id());
        assertEquals(2, store.count("acme"));
    }

    @Test
    void rotate_shouldAnswerTheSameNewSecret_andRotateOnce_whenRepeated() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);
        RotatedKey first = service.rotation().rotate("acme", key.key().id(), 60L, null, "rot-1");
        RotatedKey again = service.rotation().rotate("acme", key.key().id(), 60L, null, "rot-1");

        assertEquals(first, again);
        assertEquals(first.key().clientSecret(), vault.secrets.get(InMemoryVault.ref("acme", key.key().id())));
        assertEquals(2, store.find(key.key().clientId()).orElseThrow().revision(), "one rotation: two writes");
    }

    @Test
    void idempotencyKey_mustBePrintableAndAtMost255() {
        for (String bad : new String[] {"", " ", "x".repeat(256), "caf\u00e9", "a\tb"}) {
            KeywardException refused = assertThrows(KeywardException.class, () -> service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null, bad));
            assertEquals(ErrorCode.INVALID_IDEMPOTENCY_KEY, refused.code(), bad);
        }
    }

    private static String fingerprintOfCreate(String name) {
        return Credentials.hash(String.join("\n", "create", "acme", name));
    }
}
