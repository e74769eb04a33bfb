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
        final List<Denial> written = new ArrayList<>();
        int failuresToCome;

        @Override
        public void add(String accountId, String keyId, Map<LocalDate, Counts> counts, Instant lastUsedAt,
                        List<Denial> denials) {
            if (failuresToCome > 0) {
                failuresToCome--;
                throw new IllegalStateException("DynamoDB unreachable");
            }
            writes.add(keyId + " " + lastUsedAt);
            written.addAll(denials);
            counts.forEach((day, c) -> totals.merge(keyId + "/" + day, c, Counts::plus));
        }

        @Override
        public List<DailyUsage> days(String accountId, String keyId, LocalDate from, LocalDate to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Denial> recentDenials(String accountId, String keyId, Instant since) {
            throw new UnsupportedOperationException();
        }

        Counts of(String keyId) {
            return totals.get(keyId + "/" + DAY);
        }
    }

    /** One check of key {@code keyId}: allowed, or denied for a wrong secret. */
    private static void check(UsageRecorder recorder, String keyId, boolean allowed, Instant at) {
        if (allowed) {
            recorder.allowed("acme", keyId, at);
        } else {
            recorder.denied("acme", keyId, new UsageStore.Denial(at, DenialReason.WRONG_SECRET, "GET /whoami", "203.0.113.7"));
        }
    }

    /** Counts whose denials were all for a wrong secret. */
    private static UsageStore.Counts counts(long allowed, long denied) {
        return new UsageStore.Counts(allowed, denied, denied == 0 ? Map.of() : Map.of(DenialReason.WRONG_SECRET, denied));
    }

    @Test
    void theFirstCheckWritesNothing_theNextWritesIt_thenTheFirstOneAMinuteLaterWritesTheMinutesCounts() {
        check(recorder, "k", true, T0);
        assertEquals(List.of(), store.writes, "the sandbox's first check of a key (after a restore too) writes nothing");
        check(recorder, "k", false, T0.plusSeconds(59));
        assertEquals(List.of("k 2026-11-27T10:00:00Z"), store.writes, "the next check writes the first one");
        assertEquals(counts(1, 0), store.of("k"));

        check(recorder, "k", true, T0.plusSeconds(60));
        check(recorder, "k", true, T0.plusSeconds(119));
        assertEquals(List.of("k 2026-11-27T10:00:00Z", "k 2026-11-27T10:01:00Z"), store.writes);
        assertEquals(counts(2, 1), store.of("k"));

        check(recorder, "k", false, T0.plusSeconds(120));

        assertEquals(List.of("k 2026-11-27T10:00:00Z", "k 2026-11-27T10:01:00Z", "k 2026-11-27T10:01:59Z"), store.writes);
        assertEquals(counts(3, 2), store.of("k"));
    }

    @Test
    void aKeyUsedOnceInASandbox_shouldBeWrittenByTheSandboxsNextCheck_ofAnyKey() {
        check(recorder, "sparse", false, T0);
        check(recorder, "busy", true, T0.plusSeconds(1));
        assertEquals(List.of("sparse null"), store.writes, "the busy key's first check wrote the sparse key's, not its own");
        assertEquals(counts(0, 1), store.of("sparse"));

        check(recorder, "busy", true, T0.plusSeconds(2));
        check(recorder, "busy", true, T0.plusSeconds(3));
        assertEquals(List.of("sparse null", "busy 2026-11-27T10:00:01Z"), store.writes, "then once a minute");
        assertEquals(counts(1, 0), store.of("busy"));
    }

    @Test
    void aCheck_shouldOnlyHandItsKeysCountsToTheWriter_neverWriteThemItself() {
        List<Runnable> queued = new ArrayList<>();
        UsageRecorder background = new UsageRecorder(store, new RecordingLog(), queued::add);
        check(background, "k", true, T0);
        check(background, "k", true, T0.plusSeconds(60));
        assertEquals(List.of(), store.writes, "the check returned before any write");
        assertEquals(2, queued.size(), "the first check's counts, then the minute's");

        queued.forEach(Runnable::run);

        assertEquals(List.of("k 2026-11-27T10:00:00Z", "k 2026-11-27T10:01:00Z"), store.writes);
        assertEquals(counts(2, 0), store.of("k"));
    }

    @Test
    void countsAWriterRefuses_shouldWaitForTheNextWrite() {
        UsageRecorder refusing = new UsageRecorder(store, new RecordingLog(), task -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        });
        check(refusing, "k", true, T0);
        check(refusing, "k", true, T0.plusSeconds(60));

        refusing.flushAll();

        assertEquals(List.of("k 2026-11-27T10:01:00Z"), store.writes);
        assertEquals(counts(2, 0), store.of("k"));
    }

    @Test
    void flushAll_shouldWriteOnlyTheKeysWithCountsWaiting() {
        check(recorder, "a", true, T0);
        check(recorder, "b", true, T0);
        check(recorder, "b", false, T0.plusSeconds(1));

        recorder.flushAll();
        recorder.flushAll();

        assertEquals(List.of("a 2026-11-27T10:00:00Z", "b 2026-11-27T10:00:00Z", "b null"), store.writes,
                "b's first check by b's next one; its denied check by the first flushAll; nothing by the second");
        assertEquals(counts(1, 1), store.of("b"));
    }

    @Test
    void aFailedWrite_shouldKeepItsCounts_andTheLatestLastUsedAt_forTheNextWrite() {
        store.failuresToCome = 1;
        check(recorder, "k", true, T0);
        recorder.flushAll();
        assertEquals(List.of(), store.writes);

        check(recorder, "k", false, T0.plusSeconds(10));
        recorder.flushAll();
        assertEquals(List.of("k 2026-11-27T10:00:00Z"), store.writes, "the failed write's lastUsedAt came back");
        assertEquals(counts(1, 1), store.of("k"));

        store.failuresToCome = 1;
        check(recorder, "k", true, T0.plusSeconds(70));
        check(recorder, "k", true, T0.plusSeconds(80));
        recorder.flushAll();
        assertEquals("k 2026-11-27T10:01:20Z", store.writes.get(1), "a newer check wins over the failed write's");
        assertEquals(counts(3, 1), store.of("k"));
    }

    @Test
    void aFailedWriteOfDeniedChecksOnly_shouldNotInventALastUsedAt() {
        check(recorder, "k", true, T0);
        check(recorder, "k", true, T0.plusSeconds(5));
        recorder.flushAll();
        check(recorder, "k", true, T0.plusSeconds(10));
        store.failuresToCome = 1;
        check(recorder, "k", false, T0.plusSeconds(60));
        recorder.flushAll();

        assertEquals("k 2026-11-27T10:00:10Z", store.writes.get(store.writes.size() - 1));
        assertEquals(counts(3, 1), store.of("k"));
    }

    @Test
    void aKeyPushedOutOfMemory_shouldHaveItsCountsWritten_once_andNotBefore() {
        check(recorder, "evicted", true, T0);
        check(recorder, "evicted", true, T0.plusSeconds(1)); // writes the first check; waits in memory itself
        for (int i = 0; i < 9_999; i++) {
            check(recorder, "other" + i, true, T0.plusSeconds(2));
        }
        assertEquals(counts(1, 0), store.of("evicted"), "10,000 keys fit: the second check still waits");

        check(recorder, "one-more", true, T0.plusSeconds(2));
        check(recorder, "and-another", true, T0.plusSeconds(2));

        assertEquals(counts(2, 0), store.of("evicted"));
        assertEquals(2, store.writes.stream().filter(w -> w.startsWith("evicted ")).count());

        check(recorder, "evicted", true, T0.plusSeconds(3));
        check(recorder, "evicted", true, T0.plusSeconds(63));
        assertEquals(counts(4, 0), store.of("evicted"), "forgotten: its next check is a first one again");
    }

    @Test
    void aKeyWithoutCountsPushedOutOfMemory_shouldWriteNothing() {
        check(recorder, "quiet", true, T0);
        recorder.flushAll();
        for (int i = 0; i < 10_001; i++) {
            check(recorder, "other" + i, true, T0);
        }
        assertEquals(1, store.writes.stream().filter(w -> w.startsWith("quiet ")).count());
        assertNull(store.totals.get("quiet/2026-11-26"));
        assertEquals(Duration.ofMinutes(1), UsageRecorder.FLUSH_INTERVAL);
    }
}
