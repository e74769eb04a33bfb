package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rotation with an Idempotency-Key retried after an attempt that did not record its answer:
 * it never rotates twice, so the grace the first attempt gave is never cut short.
 */
class RotationRetryTest {
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryVault vault = new InMemoryVault();
    private final InMemoryIdempotencyStore records = new InMemoryIdempotencyStore();
    private final InMemoryAuditTrail audit = store.audit;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00.250Z"));
    private final UseCases service = new UseCases(store, store, vault, audit, records, clock, 10, new RecordingLog());
    private final KeyVerifier verifier = new KeyVerifier(store, new UsageRecorder(store, EventLog.NONE), clock, EventLog.NONE);
    private KeyWithSecret key;

    @BeforeEach
    void createKey() {
        key = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);
    }

    private boolean works(String secret) {
        String credentials = key.key().clientId() + ":" + secret;
        return verifier.verify("Basic " + java.util.Base64.getEncoder().encodeToString(
                credentials.getBytes(java.nio.charset.StandardCharsets.UTF_8))).allowed();
    }

    private RotatedKey rotate(long grace) {
        return service.rotation().rotate("acme", key.key().id(), grace, "admin", "rotate-1");
    }

    @Test
    void retry_afterACompletedRotationWhoseAnswerWasNotRecorded_answersItAgain_andRotatesOnce() {
        records.failNextComplete = new DependencyUnavailableException("DynamoDB", null);
        RotatedKey first = rotate(3600);
        long revision = store.find(key.key().clientId()).orElseThrow().revision();
        clock.advance(IdempotencyRecord.LEASE.plusSeconds(1));

        RotatedKey retried = rotate(3600);

        assertEquals(first.key().clientSecret(), retried.key().clientSecret());
        assertEquals(first.previousValidUntil(), retried.previousValidUntil());
        assertEquals(revision, store.find(key.key().clientId()).orElseThrow().revision(), "no second rotation");
        assertTrue(works(key.clientSecret()), "the original secret is still in its grace");
        assertTrue(works(first.key().clientSecret()));
        assertEquals(1, audit.events.stream().filter(e -> e.action() == AuditAction.ROTATED).count());
    }

    @Test
    void retry_afterARotationThatStoppedBetweenVaultAndStore_finishesIt_withTheSecretTheVaultHolds() {
        store.failReplaceAtRevision = new OutcomeUnknownException("DynamoDB", null);
        store.failingRevision = 2; // step 3: the new secret becomes current
        assertThrows(OutcomeUnknownException.class, () -> rotate(60)); // its lease is kept too: a crash
        store.failReplaceAtRevision = null;
        clock.advance(KeyRotation.ROTATION_LEASE.plusSeconds(1));
        String inVault = vault.secrets.get(InMemoryVault.ref("acme", key.key().id()));
        assertNotEquals(key.clientSecret(), inVault);

        RotatedKey retried = rotate(60);

        assertEquals(inVault, retried.key().clientSecret());
        assertEquals(Credentials.hash(inVault), store.find(key.key().clientId()).orElseThrow().secretHash());
        assertEquals(clock.instant().plusSeconds(60).plusMillis(750), retried.previousValidUntil(), "rounded up to a second");
        assertTrue(works(key.clientSecret()));
        clock.advance(Duration.ofSeconds(61));
        assertFalse(works(key.clientSecret()));
        assertTrue(works(inVault));
    }

    @Test
    void retry_whenAnotherRotationOvertookTheStoppedOne_answers409_andLeavesTheKeyAsItIs() {
        store.failReplaceAtRevision = new OutcomeUnknownException("DynamoDB", null);
        store.failingRevision = 2;
        assertThrows(OutcomeUnknownException.class, () -> rotate(60)); // its lease is kept too: a crash
        store.failReplaceAtRevision = null;
        clock.advance(KeyRotation.ROTATION_LEASE.plusSeconds(1));
        RotatedKey other = service.rotation().rotate("acme", key.key().id(), 60L, "admin");
        ClientRecord before = store.find(key.key().clientId()).orElseThrow();

        KeywardException refused = assertThrows(KeywardException.class, () -> rotate(60));

        assertEquals(ErrorCode.ROTATION_SUPERSEDED, refused.code());
        assertEquals(before, store.find(key.key().clientId()).orElseThrow());
        assertTrue(works(other.key().clientSecret()));
    }

    @Test
    void retry_afterAnAttemptThatStoredNoSecret_rotatesAfresh() {
        vault.failReplace = new DependencyUnavailableException("Secrets Manager", null);
        assertThrows(DependencyUnavailableException.class, () -> rotate(60));
        vault.failReplace = null;

        RotatedKey retried = rotate(60);

        assertEquals(retried.key().clientSecret(), vault.secrets.get(InMemoryVault.ref("acme", key.key().id())));
        assertTrue(works(retried.key().clientSecret()));
        assertTrue(works(key.clientSecret()));
    }

    @Test
    void graceEnd_isRoundedUpToAWholeSecond_neverDown() {
        RotatedKey rotated = service.rotation().rotate("acme", key.key().id(), 4L, "admin");

        assertEquals(Instant.parse("2026-11-27T10:00:05Z"), rotated.previousValidUntil());
        clock.advance(Duration.ofMillis(3_999));
        assertTrue(works(key.clientSecret()), "4 s after the rotation the previous secret still works");
    }

    @Test
    void graceEnd_onAWholeSecond_isExactlyAsAsked() {
        clock.advance(Duration.ofMillis(750));

        assertEquals(Instant.parse("2026-11-27T10:00:05Z"), service.rotation().rotate("acme", key.key().id(), 4L, "admin").previousValidUntil());
    }
}
