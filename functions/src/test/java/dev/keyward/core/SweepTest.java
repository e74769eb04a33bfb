package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sweep: each note on its own, failures counted, keys without their secret reported. */
class SweepTest {
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final RecordingLog log = new RecordingLog();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final FlakyVault vault = new FlakyVault();
    private final UseCases service = new UseCases(store, store, vault, store.audit, clock, 10, log);

    /** Fails to destroy one chosen key's secret. */
    static final class FlakyVault extends InMemoryVault {
        String failFor;

        @Override
        public void destroy(String accountId, String keyId) {
            if (keyId.equals(failFor)) {
                throw new DependencyUnavailableException("Secrets Manager", null);
            }
            super.destroy(accountId, keyId);
        }
    }

    private void orphan(String keyId) {
        store.noteSecret("acme", keyId, clock.instant());
        vault.store("acme", keyId, "kw_cid_x", "kw_sec_x", keyId);
    }

    @Test
    void sweep_shouldGoOnPastAFailingNote_countItAndKeepItForTheNextRun() {
        orphan("key_01JDQ8Z6X4M5N7P8Q9R0S1T2V1");
        orphan("key_01JDQ8Z6X4M5N7P8Q9R0S1T2V2");
        orphan("key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3");
        vault.failFor = "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V2";
        clock.advance(Duration.ofMinutes(16));

        Housekeeping.SweepReport report = service.housekeeping().sweepOrphanSecrets(Duration.ofMinutes(15));

        assertEquals(new Housekeeping.SweepReport(2, 1, 0), report);
        assertEquals(1, store.notes.size(), "the failed note stays for the next run");
        assertTrue(log.lines.contains("WARN sweep_note_failed acme key_01JDQ8Z6X4M5N7P8Q9R0S1T2V2"), log.lines.toString());
        vault.failFor = null;
        clock.advance(Duration.ofHours(1)); // the next run, long after the failed one's claim on the note ended
        assertEquals(new Housekeeping.SweepReport(1, 0, 0), service.housekeeping().sweepOrphanSecrets(Duration.ofMinutes(15)));
        assertTrue(vault.secrets.isEmpty());
    }

    @Test
    void sweep_shouldReportAKeyWithoutItsSecret_andKeepReportingIt() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);
        store.noteSecret("acme", key.key().id(), clock.instant());
        vault.secrets.clear();
        clock.advance(Duration.ofMinutes(16));

        Housekeeping.SweepReport report = service.housekeeping().sweepOrphanSecrets(Duration.ofMinutes(15));

        assertEquals(new Housekeeping.SweepReport(0, 0, 1), report);
        assertTrue(log.lines.contains("WARN secret_missing acme " + key.key().id()), log.lines.toString());
        assertFalse(store.notes.isEmpty(), "still noted: the next run reports it again");
        assertEquals(1, service.housekeeping().sweepOrphanSecrets(Duration.ofMinutes(15)).secretsMissing());
    }

    @Test
    void sweep_shouldForgetTheNoteOfAKeyThatHasItsSecret() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);
        store.noteSecret("acme", key.key().id(), clock.instant());
        clock.advance(Duration.ofMinutes(16));

        assertEquals(new Housekeeping.SweepReport(0, 0, 0), service.housekeeping().sweepOrphanSecrets(Duration.ofMinutes(15)));
        assertTrue(store.notes.isEmpty());
        assertTrue(vault.secrets.containsValue(key.clientSecret()));
    }
}
