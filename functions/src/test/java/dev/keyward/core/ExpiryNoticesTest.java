package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep's expiry warnings: 7 days and 1 day before a key expires, then once it has, each once. */
class ExpiryNoticesTest {
    private static final String ADMIN = "arn:aws:sts::1:assumed-role/KeywardAdmin/alice";
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryAuditTrail audit = store.audit;
    private final TestClock clock = new TestClock(START);
    private final UseCases service = new UseCases(store, store, new InMemoryVault(), audit, clock, 100, new RecordingLog());

    private List<String> notices() {
        return audit.published.stream()
                .filter(e -> e.type() == EventType.KEY_EXPIRING || e.type() == EventType.KEY_EXPIRED)
                .map(e -> e.type().wireName() + " " + Map.copyOf(e.data())).toList();
    }

    @Test
    void aKey_shouldBeAnnouncedSevenDaysAndOneDayBefore_andWhenItExpired_eachOnce_howeverOftenTheSweepRuns() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Nightly", "2026-12-07T10:00:00Z", null), ADMIN);
        Housekeeping sweep = service.housekeeping();

        assertEquals(0, sweep.announceExpiries(), "ten days left");
        clock.advance(Duration.ofDays(3)); // exactly 7 days left
        assertEquals(1, sweep.announceExpiries());
        assertEquals(0, sweep.announceExpiries(), "a second run, or a retry, sends nothing");
        clock.advance(Duration.ofDays(5)); // 2 days left
        assertEquals(0, sweep.announceExpiries());
        clock.advance(Duration.ofHours(25)); // 23 hours left
        assertEquals(1, sweep.announceExpiries());
        clock.advance(Duration.ofHours(23));
        assertEquals(1, sweep.announceExpiries());
        assertEquals(0, sweep.announceExpiries());
        clock.advance(Duration.ofDays(8));
        assertEquals(0, sweep.announceExpiries(), "long expired: nothing more");

        String at = "2026-12-07T10:00:00.000Z";
        assertEquals(List.of("key.expiring " + Map.of("expiresAt", at, "daysLeft", 7),
                "key.expiring " + Map.of("expiresAt", at, "daysLeft", 1),
                "key.expired " + Map.of("expiresAt", at)), notices());
        ChangeEvent expired = audit.published.get(audit.published.size() - 1);
        assertEquals(List.of(key.key().id(), key.key().clientId(), ChangeEvent.Actor.system()),
                List.of(expired.keyId(), expired.clientId(), expired.actor()));
    }

    @Test
    void aChangedExpiry_shouldBeAnnouncedAfresh_butAnExpiryChangedBack_notTwice() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Nightly", "2026-12-01T10:00:00Z", null), ADMIN);
        Housekeeping sweep = service.housekeeping();
        assertEquals(1, sweep.announceExpiries(), "4 days left: the 7-day warning");

        service.updates().update("acme", key.key().id(), UseCases.keyUpdate("acme", Map.of("expiresAt", "2026-12-02T10:00:00Z")), ADMIN);
        assertEquals(1, sweep.announceExpiries(), "a new expiry, warned of anew");
        service.updates().update("acme", key.key().id(), UseCases.keyUpdate("acme", Map.of("expiresAt", "2026-12-01T10:00:00Z")), ADMIN);
        assertEquals(0, sweep.announceExpiries(), "the first expiry again: warned of already");
    }
}
