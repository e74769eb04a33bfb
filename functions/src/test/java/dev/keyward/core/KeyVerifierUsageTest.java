package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Each check of a known Client ID counts for its key: allowed, denied for a wrong secret or at expiry. */
class KeyVerifierUsageTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-11-27");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final RecordingLog log = new RecordingLog();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00.250Z"));
    private final UseCases service = new UseCases(store, store, new InMemoryVault(), store.audit, clock, 100, log);
    private final KeyVerifier verifier = new KeyVerifier(store, new UsageRecorder(store, log), clock, log);

    private UsageStore.Counts today(KeyWithSecret key) {
        return store.usage.get("acme/" + key.key().id() + "/" + TODAY);
    }

    @Test
    void aWrongSecret_shouldCountAsDenied_andFlushUsageWriteWhatWaits() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        String right = KeyVerifierTest.basic(key.key().clientId(), key.clientSecret());
        String wrong = KeyVerifierTest.basic(key.key().clientId(), Credentials.newClientSecret());

        assertFalse(verifier.verify(wrong).allowed());
        verifier.verify(wrong);
        verifier.verify(right);
        assertEquals(new UsageStore.Counts(0, 1, java.util.Map.of(DenialReason.WRONG_SECRET, 1L)), today(key),
                "the first check was written by the next; the rest of the minute waits in memory");

        verifier.flushUsage();

        assertEquals(new UsageStore.Counts(1, 2, java.util.Map.of(DenialReason.WRONG_SECRET, 2L)), today(key));
    }

    @Test
    void aCheckAtTheExpiry_shouldCountAsDenied() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Expiring", "2026-11-27T10:05:00Z", null), null);
        clock.advance(java.time.Duration.ofMinutes(5));

        assertFalse(verifier.verify(KeyVerifierTest.basic(key.key().clientId(), key.clientSecret())).allowed());
        verifier.flushUsage();

        assertEquals(new UsageStore.Counts(0, 1, java.util.Map.of(DenialReason.EXPIRED, 1L)), today(key));
    }
}
