package dev.keyward.core;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Counts the authorizer's checks per key and UTC day in this sandbox (the denied ones per
 * {@link DenialReason}), keeps the key's latest {@value UsageStore#RECENT_DENIALS} denials, and
 * writes them (with the key's lastUsedAt). No check waits on a write: counts are handed to the
 * {@code writer} (in a sandbox, a background thread). The sandbox's first check of a key writes
 * nothing (so the first request after a SnapStart restore, or a cold start, writes nothing): it
 * starts that key's minute and is handed over by the sandbox's next check, of whatever key, so a
 * key used once in a sandbox is not left to the sandbox's end. After that, a key's counts are
 * handed over by its first check once its {@link #FLUSH_INTERVAL} is up. A write that fails
 * keeps its counts for the next one and never fails a check. Counts of the last minute wait in
 * memory for the next check of that key, or for {@link #flushAll} (at shutdown, best effort).
 */
public final class UsageRecorder {
    public static final Duration FLUSH_INTERVAL = Duration.ofMinutes(1);
    private static final int REMEMBERED_KEYS = 10_000;

    private final UsageStore store;
    private final EventLog log;
    private final List<Map.Entry<String, Pending>> evicted = new ArrayList<>();
    private final Map<String, Pending> pending = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
            if (size() <= REMEMBERED_KEYS) {
                return false;
            }
            if (!eldest.getValue().counts.isEmpty()) {
                evicted.add(Map.entry(eldest.getKey(), eldest.getValue()));
            }
            return true;
        }
    };

    private final Executor writer;
    /** The keys whose first check in this sandbox waits for the sandbox's next check; guarded by {@link #pending}. */
    private final List<Pending> firstChecks = new ArrayList<>();

    /** Writes on the checking thread: for tests, and for callers that wait on writes anyway. */
    public UsageRecorder(UsageStore store, EventLog log) {
        this(store, log, Runnable::run);
    }

    /** @param writer runs the writes; in a sandbox a background thread, so that no check waits on one */
    public UsageRecorder(UsageStore store, EventLog log, Executor writer) {
        this.store = Objects.requireNonNull(store);
        this.log = Objects.requireNonNull(log);
        this.writer = Objects.requireNonNull(writer);
    }

    /** Counts one allowed check of the key at {@code now}; hands its counts to the writer if this key's minute is up. */
    public void allowed(String accountId, String keyId, Instant now) {
        record(accountId, keyId, now, null);
    }

    /** Counts one denied check of the key, and keeps it among the latest; as {@link #allowed}. */
    public void denied(String accountId, String keyId, UsageStore.Denial denial) {
        record(accountId, keyId, denial.at(), denial);
    }

    private void record(String accountId, String keyId, Instant now, UsageStore.Denial denial) {
        List<Flush> flushes = new ArrayList<>();
        synchronized (pending) {
            drainFirstChecks(flushes);
            String id = accountId + '/' + keyId;
            Pending key = pending.computeIfAbsent(id, k -> new Pending(accountId, keyId));
            key.count(LocalDate.ofInstant(now, ZoneOffset.UTC), denial, now);
            if (key.minuteStart == null) {
                // the sandbox's first check of this key: written by the sandbox's next check
                key.minuteStart = now;
                firstChecks.add(key);
            } else if (!now.isBefore(key.minuteStart.plus(FLUSH_INTERVAL))) {
                key.minuteStart = now;
                flushes.add(key.drain());
            }
            evicted.forEach(e -> flushes.add(e.getValue().drain()));
            evicted.clear();
        }
        flushes.forEach(this::hand);
    }

    /** Adds to {@code flushes} the first checks that wait for a next one. */
    private void drainFirstChecks(List<Flush> flushes) {
        for (Pending waiting : firstChecks) {
            if (!waiting.counts.isEmpty()) {
                flushes.add(waiting.drain());
            }
        }
        firstChecks.clear();
    }

    private void hand(Flush flush) {
        try {
            writer.execute(() -> write(flush));
        } catch (RejectedExecutionException e) {
            keep(flush);
        }
    }

    /** Writes every key's counts now, on this thread, whatever the minute: for a sandbox about to stop. */
    public void flushAll() {
        List<Flush> flushes = new ArrayList<>();
        synchronized (pending) {
            firstChecks.clear();
            pending.values().stream().filter(p -> !p.counts.isEmpty()).forEach(p -> flushes.add(p.drain()));
        }
        flushes.forEach(this::write);
    }

    private void write(Flush flush) {
        try {
            store.add(flush.accountId, flush.keyId, flush.counts, flush.lastUsedAt, flush.denials);
        } catch (RuntimeException e) {
            log.warn("usage_not_recorded", flush.accountId, flush.keyId, e);
            keep(flush);
        }
    }

    private void keep(Flush flush) {
        synchronized (pending) {
            pending.computeIfAbsent(flush.accountId + '/' + flush.keyId, k -> new Pending(flush.accountId, flush.keyId))
                    .restore(flush);
        }
    }

    private record Flush(String accountId, String keyId, Map<LocalDate, UsageStore.Counts> counts, Instant lastUsedAt,
                         List<UsageStore.Denial> denials) {
    }

    private static final class Pending {
        final String accountId;
        final String keyId;
        Map<LocalDate, UsageStore.Counts> counts = new HashMap<>();
        Instant lastAllowed;
        /** The latest denials not yet written, oldest first, at most {@value UsageStore#RECENT_DENIALS}. */
        List<UsageStore.Denial> denials = new ArrayList<>();
        /** When this key's current minute began: its first check in the sandbox, then each hand-over. */
        Instant minuteStart;

        Pending(String accountId, String keyId) {
            this.accountId = accountId;
            this.keyId = keyId;
        }

        void count(LocalDate day, UsageStore.Denial denial, Instant now) {
            if (denial == null) {
                counts.merge(day, UsageStore.Counts.oneAllowed(), UsageStore.Counts::plus);
                // whole seconds: the stored text then always has the same width and compares in time order
                lastAllowed = now.truncatedTo(ChronoUnit.SECONDS);
            } else {
                counts.merge(day, UsageStore.Counts.oneDenied(denial.reason()), UsageStore.Counts::plus);
                keepLatest(List.of(denial));
            }
        }

        /** Adds {@code more} to the denials kept, then keeps the latest {@value UsageStore#RECENT_DENIALS}. */
        private void keepLatest(List<UsageStore.Denial> more) {
            denials.addAll(more);
            denials.sort(java.util.Comparator.comparing(UsageStore.Denial::at));
            if (denials.size() > UsageStore.RECENT_DENIALS) {
                denials = new ArrayList<>(denials.subList(denials.size() - UsageStore.RECENT_DENIALS, denials.size()));
            }
        }

        Flush drain() {
            Flush flush = new Flush(accountId, keyId, counts, lastAllowed, List.copyOf(denials));
            counts = new HashMap<>();
            lastAllowed = null;
            denials = new ArrayList<>();
            return flush;
        }

        void restore(Flush failed) {
            failed.counts.forEach((day, c) -> counts.merge(day, c, UsageStore.Counts::plus));
            if (failed.lastUsedAt != null && (lastAllowed == null || lastAllowed.isBefore(failed.lastUsedAt))) {
                lastAllowed = failed.lastUsedAt;
            }
            keepLatest(failed.denials);
        }
    }
}
