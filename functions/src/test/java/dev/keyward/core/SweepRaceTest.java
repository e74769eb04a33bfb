package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sweep against a create retried while it runs: a secret is destroyed only while the note the
 * sweep listed is unchanged, so no key is ever left without its secret.
 */
class SweepRaceTest {
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryVault vault = new InMemoryVault();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final UseCases service = new UseCases(store, store, vault, store.audit,
            new InMemoryIdempotencyStore(), clock, 10, new RecordingLog());
    private String keyId;

    /** GIVEN a create whose last write never got through: 503, its secret stored and noted, no key; 16 minutes ago. */
    @BeforeEach
    void aCreateThatFailedHalfWay() {
        store.failNextInsert = new OutcomeUnknownException("DynamoDB", null);
        assertThrows(OutcomeUnknownException.class, () -> service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null, "retry-me"));
        assertEquals(1, store.notes.size());
        keyId = store.notes.values().iterator().next().keyId();
        clock.advance(Duration.ofMinutes(16));
    }

    @Test
    void sweep_whenTheCreateIsRetriedBetweenItsCheckAndItsDestroy_leavesTheKeyItsSecret() {
        AtomicReference<KeyWithSecret> retried = new AtomicReference<>();
        // the sweep reads "no key", then the retry notes, stores and saves before the sweep goes on
        store.afterNextFind = () -> retried.set(service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null, "retry-me"));

        service.housekeeping().sweepOrphanSecrets(Duration.ofMinutes(15));

        assertEquals(keyId, retried.get().key().id());
        assertTrue(store.find("acme", keyId).isPresent());
        assertEquals(retried.get().clientSecret(), vault.read(store.find("acme", keyId).get().secretRef()).orElse(null),
                "the key still has its secret");
    }

    @Test
    void create_retriedWhileTheSweepDestroysItsSecret_answers503_andTheNextRetryMakesTheKeyWithANewSecret() {
        AtomicReference<RuntimeException> refused = new AtomicReference<>();
        store.afterNextClaim = () -> refused.set(assertThrows(DependencyUnavailableException.class,
                () -> service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null, "retry-me")));

        Housekeeping.SweepReport report = service.housekeeping().sweepOrphanSecrets(Duration.ofMinutes(15));

        assertEquals(1, report.destroyed());
        assertTrue(refused.get() != null, "the retry came while the sweep held the note");
        assertTrue(store.find("acme", keyId).isEmpty());
        KeyWithSecret created = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null, "retry-me");
        assertEquals(keyId, created.key().id());
        assertEquals(created.clientSecret(), vault.read(store.find("acme", keyId).get().secretRef()).orElse(null));
    }

    @Test
    void sweep_skipsANoteThatChangedSinceItWasListed() {
        KeyStore.SecretNote listed = store.secretNotes(clock.instant()).get(0);
        store.noteSecret("acme", keyId, clock.instant());

        assertEquals(false, store.claimNote(listed, clock.instant(), clock.instant().plusSeconds(60)));
        assertEquals(new Housekeeping.SweepReport(0, 0, 0), service.housekeeping().sweepOrphanSecrets(Duration.ofMinutes(15)));
        assertEquals(1, vault.secrets.size(), "its secret kept");
    }
}
