package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A key's daily usage series: the days asked for, oldest first, gaps as zeros. */
class KeyUsageTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-11-27");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T23:59:59.999Z"));
    private final UseCases service = new UseCases(store, store, new InMemoryVault(), store.audit, clock, 100,
            new RecordingLog());
    private final KeyUsage usage = new KeyUsage(store, store, clock);

    @Test
    void days_shouldBeTheLastDaysUpToToday_oldestFirst_withZerosForDaysWithoutChecks() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        Map<DenialReason, Long> one = Map.of(DenialReason.DISABLED, 1L);
        Map<DenialReason, Long> three = Map.of(DenialReason.WRONG_SECRET, 2L, DenialReason.SCOPE_MISSING, 1L);
        store.add("acme", key.key().id(), Map.of(TODAY, new UsageStore.Counts(5, 1, one),
                TODAY.minusDays(2), new UsageStore.Counts(0, 3, three),
                TODAY.minusDays(3), new UsageStore.Counts(9, 9, Map.of(DenialReason.EXPIRED, 9L))), null, List.of());

        assertEquals(List.of(new DailyUsage(TODAY.minusDays(2), 0, 3, three), new DailyUsage(TODAY.minusDays(1), 0, 0),
                new DailyUsage(TODAY, 5, 1, one)), usage.days("acme", key.key().id(), 3));
        assertEquals(List.of(new DailyUsage(TODAY, 5, 1, one)), usage.days("acme", key.key().id(), 1));
    }

    @Test
    void days_shouldTakeTheFirstOfTwoEntriesTheStoreAnswersForOneDay() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        UsageStore twice = new UsageStore() {
            @Override
            public void add(String accountId, String keyId, Map<LocalDate, Counts> counts, Instant lastUsedAt,
                            List<Denial> denials) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Denial> recentDenials(String accountId, String keyId, Instant since) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<DailyUsage> days(String accountId, String keyId, LocalDate from, LocalDate to) {
                return List.of(new DailyUsage(TODAY, 1, 0), new DailyUsage(TODAY, 7, 7));
            }
        };

        assertEquals(List.of(new DailyUsage(TODAY, 1, 0)), new KeyUsage(store, twice, clock).days("acme", key.key().id(), 1));
    }

    @Test
    void days_shouldDefaultToThirty_andTakeUpToTheRetention() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);

        List<DailyUsage> thirty = usage.days("acme", key.key().id(), null);
        assertEquals(KeyUsage.DEFAULT_DAYS, thirty.size());
        assertEquals(TODAY.minusDays(29), thirty.get(0).day());
        assertEquals(90, KeyUsage.MAX_DAYS);
        assertEquals(KeyUsage.MAX_DAYS, usage.days("acme", key.key().id(), KeyUsage.MAX_DAYS).size());
    }

    @Test
    void days_outsideOneToTheRetention_shouldBeRefused() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);

        for (int days : new int[] {0, -1, KeyUsage.MAX_DAYS + 1}) {
            KeywardException refused = assertThrows(KeywardException.class, () -> usage.days("acme", key.key().id(), days));
            assertEquals(ErrorCode.INVALID_DAYS, refused.code());
            assertEquals("days must be a whole number from 1 to 90.", refused.detail());
        }
    }

    @Test
    void anotherAccountsKey_aMalformedId_orAMalformedAccount_shouldBeRefused() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);

        assertEquals(ErrorCode.KEY_NOT_FOUND,
                assertThrows(KeywardException.class, () -> usage.days("globex", key.key().id(), 1)).code());
        assertEquals(ErrorCode.KEY_NOT_FOUND,
                assertThrows(KeywardException.class, () -> usage.days("acme", "key_nope", 1)).code());
        assertThrows(KeywardException.class, () -> usage.days("acme/x", key.key().id(), 1));
    }
}
