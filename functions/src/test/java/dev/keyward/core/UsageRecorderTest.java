package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When usage counts are written, and that none is lost to a failed write or a full memory. */
class UsageRecorderTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00.250Z");
    private static final LocalDate DAY = LocalDate.parse("2026-11-27");
    private final Store store = new Store();
    private final UsageRecorder recorder = new UsageRecorder(store, new RecordingLog());

    /** Sums what was written per key, and the lastUsedAt of each write. */
    private static final class Store implements UsageStore {
        final Map<String, Counts> totals = new HashMap<>();
        final List<String> writes = new ArrayList<>();
        int failuresToCome;

        @Override
        public void add(String accountId, String keyId, Map<LocalDate, Counts> counts, Instant lastUsedAt) {
            if (failuresToCome > 0) {
                failuresToCome--;
                throw new IllegalStateException("DynamoDB unreachable");
            }
            writes.add(keyId + " " + lastUsedAt);
            counts.forEach((day, c) -> totals.merge(keyId + "/" + day, c, Counts::plus));
        }

        @Override
        public List<DailyUsage> days(String accountId, String keyId, LocalDate from, LocalDate to) {
            throw new UnsupportedOperationException();
        }

        Counts of(String keyId) {
            return totals.get(keyId + "/" + DAY);
        }
    }

    @Test
    void theFirstCheckWritesNothing_theFirstOneAMinuteLaterWritesTheMinutesCounts() {
        recorder.record("acme", "k", true, T0);
        recorder.record("acme", "k", false, T0.plusSeconds(59));
        assertEquals(List.of(), store.writes, "the sandbox's first check of a key (after a restore too) writes nothing");

        recorder.record("acme", "k", true, T0.plusSeconds(60));
        recorder.record("acme", "k", true, T0.plusSeconds(119));
        assertEquals(List.of("k 2026-11-27T10:01:00Z"), store.writes);
        assertEquals(new UsageStore.Counts(2, 1), store.of("k"));

        recorder.record("acme", "k", false, T0.plusSeconds(120));

        assertEquals(List.of("k 2026-11-27T10:01:00Z", "k 2026-11-27T10:01:59Z"), store.writes);
        assertEquals(new UsageStore.Counts(3, 2), store.of("k"));
    }

    @Test
    void aCheck_shouldOnlyHandItsKeysCountsToTheWriter_neverWriteThemItself() {
        List<Runnable> queued = new ArrayList<>();
        UsageRecorder background = new UsageRecorder(store, new RecordingLog(), queued::add);
        background.record("acme", "k", true, T0);
        background.record("acme", "k", true, T0.plusSeconds(60));
        assertEquals(List.of(), store.writes, "the check returned before any write");
        assertEquals(1, queued.size());

        queued.get(0).run();

        assertEquals(List.of("k 2026-11-27T10:01:00Z"), store.writes);
        assertEquals(new UsageStore.Counts(2, 0), store.of("k"));
    }

    @Test
    void countsAWriterRefuses_shouldWaitForTheNextWrite() {
        UsageRecorder refusing = new UsageRecorder(store, new RecordingLog(), task -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        });
        refusing.record("acme", "k", true, T0);
        refusing.record("acme", "k", true, T0.plusSeconds(60));

        refusing.flushAll();

        assertEquals(List.of("k 2026-11-27T10:01:00Z"), store.writes);
        assertEquals(new UsageStore.Counts(2, 0), store.of("k"));
    }

    @Test
    void flushAll_shouldWriteOnlyTheKeysWithCountsWaiting() {
        recorder.record("acme", "a", true, T0);
        recorder.record("acme", "b", true, T0);
        recorder.record("acme", "b", false, T0.plusSeconds(1));

        recorder.flushAll();
        recorder.flushAll();

        assertEquals(List.of("a 2026-11-27T10:00:00Z", "b 2026-11-27T10:00:00Z"), store.writes);
        assertEquals(new UsageStore.Counts(1, 1), store.of("b"));
    }

    @Test
    void aFailedWrite_shouldKeepItsCounts_andTheLatestLastUsedAt_forTheNextWrite() {
        store.failuresToCome = 1;
        recorder.record("acme", "k", true, T0);
        recorder.flushAll();
        assertEquals(List.of(), store.writes);

        recorder.record("acme", "k", false, T0.plusSeconds(10));
        recorder.flushAll();
        assertEquals(List.of("k 2026-11-27T10:00:00Z"), store.writes, "the failed write's lastUsedAt came back");
        assertEquals(new UsageStore.Counts(1, 1), store.of("k"));

        store.failuresToCome = 1;
        recorder.record("acme", "k", true, T0.plusSeconds(70));
        recorder.record("acme", "k", true, T0.plusSeconds(80));
        recorder.flushAll();
        assertEquals("k 2026-11-27T10:01:20Z", store.writes.get(1), "a newer check wins over the failed write's");
        assertEquals(new UsageStore.Counts(3, 1), store.of("k"));
    }

    @Test
    void aFailedWriteOfDeniedChecksOnly_shouldNotInventALastUsedAt() {
        recorder.record("acme", "k", true, T0);
        recorder.record("acme", "k", true, T0.plusSeconds(5));
        recorder.flushAll();
        recorder.record("acme", "k", true, T0.plusSeconds(10));
        store.failuresToCome = 1;
        recorder.record("acme", "k", false, T0.plusSeconds(60));
        recorder.flushAll();

        assertEquals("k 2026-11-27T10:00:10Z", store.writes.get(1));
        assertEquals(new UsageStore.Counts(3, 1), store.of("k"));
    }

    @Test
    void aKeyPushedOutOfMemory_shouldHaveItsCountsWritten_once_andNotBefore() {
        recorder.record("acme", "evicted", true, T0);
        recorder.record("acme", "evicted", true, T0.plusSeconds(1)); // waits in memory
        for (int i = 0; i < 9_999; i++) {
            recorder.record("acme", "other" + i, true, T0.plusSeconds(2));
        }
        assertNull(store.of("evicted"), "10,000 keys fit");

        recorder.record("acme", "one-more", true, T0.plusSeconds(2));
        recorder.record("acme", "and-another", true, T0.plusSeconds(2));

        assertEquals(new UsageStore.Counts(2, 0), store.of("evicted"));
        assertEquals(1, store.writes.stream().filter(w -> w.startsWith("evicted ")).count());

        recorder.record("acme", "evicted", true, T0.plusSeconds(3));
        recorder.record("acme", "evicted", true, T0.plusSeconds(63));
        assertEquals(new UsageStore.Counts(4, 0), store.of("evicted"), "forgotten: its next check is a first one again");
    }

    @Test
    void aKeyWithoutCountsPushedOutOfMemory_shouldWriteNothing() {
        recorder.record("acme", "quiet", true, T0);
        recorder.flushAll();
        for (int i = 0; i < 10_001; i++) {
            recorder.record("acme", "other" + i, true, T0);
        }
        assertEquals(1, store.writes.stream().filter(w -> w.startsWith("quiet ")).count());
        assertNull(store.totals.get("quiet/2026-11-26"));
        assertEquals(Duration.ofMinutes(1), UsageRecorder.FLUSH_INTERVAL);
    }
}
