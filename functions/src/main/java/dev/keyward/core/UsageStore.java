package dev.keyward.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Per key and UTC day counts of checks, kept {@link #RETENTION}, and the key's lastUsedAt. */
public interface UsageStore {
    /** How long a day's counts are kept; the store expires them afterwards. */
    java.time.Duration RETENTION = java.time.Duration.ofDays(90);

    /**
     * Adds {@code counts} (per day: allowed, denied) to the key's day counts and, when
     * {@code lastUsedAt} is not null, sets the key's lastUsedAt to it: one write. Nothing is
     * written for a key that no longer exists.
     */
    void add(String accountId, String keyId, Map<LocalDate, Counts> counts, Instant lastUsedAt);

    /** The days from {@code from} to {@code to} (inclusive) that have counts, oldest first. */
    List<DailyUsage> days(String accountId, String keyId, LocalDate from, LocalDate to);

    /** Checks counted in memory, not yet written. */
    record Counts(long allowed, long denied) {
        public Counts plus(Counts other) {
            return new Counts(allowed + other.allowed, denied + other.denied);
        }
    }
}
