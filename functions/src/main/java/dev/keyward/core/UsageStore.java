package dev.keyward.core;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Per key and UTC day counts of checks, kept {@link #RETENTION}, the key's lastUsedAt, and its
 * latest denials, kept {@link #DENIALS_KEPT}.
 */
public interface UsageStore {
    /** How long a day's counts are kept; the store expires them afterwards. */
    Duration RETENTION = Duration.ofDays(90);
    /** How long a denial is kept for {@link #recentDenials}. */
    Duration DENIALS_KEPT = Duration.ofDays(7);
    /** How many of a key's latest denials are kept, and answered. */
    int RECENT_DENIALS = 20;

    /**
     * Adds {@code counts} (per day: allowed, denied, and the denials per reason) to the key's day
     * counts, keeps {@code denials} (at most {@value #RECENT_DENIALS}) among its latest, and, when
     * {@code lastUsedAt} is not null, sets the key's lastUsedAt to it: one write. Nothing is
     * written for a key that no longer exists.
     */
    void add(String accountId, String keyId, Map<LocalDate, Counts> counts, Instant lastUsedAt, List<Denial> denials);

    /** The days from {@code from} to {@code to} (inclusive) that have counts, oldest first. */
    List<DailyUsage> days(String accountId, String keyId, LocalDate from, LocalDate to);

    /** The key's latest denials at or after {@code since}, newest first, at most {@value #RECENT_DENIALS}. */
    List<Denial> recentDenials(String accountId, String keyId, Instant since);

    /** Checks counted in memory, not yet written: {@code denied} is the sum of {@code deniedBy}. */
    record Counts(long allowed, long denied, Map<DenialReason, Long> deniedBy) {
        public Counts {
            EnumMap<DenialReason, Long> copy = new EnumMap<>(DenialReason.class);
            deniedBy.forEach((reason, count) -> {
                if (count != 0) {
                    copy.put(reason, count);
                }
            });
            deniedBy = Collections.unmodifiableMap(copy);
        }

        /** One allowed check. */
        public static Counts oneAllowed() {
            return new Counts(1, 0, Map.of());
        }

        /** One check denied for {@code reason}. */
        public static Counts oneDenied(DenialReason reason) {
            return new Counts(0, 1, Map.of(reason, 1L));
        }

        public Counts plus(Counts other) {
            EnumMap<DenialReason, Long> sum = new EnumMap<>(DenialReason.class);
            sum.putAll(deniedBy);
            other.deniedBy.forEach((reason, count) -> sum.merge(reason, count, Long::sum));
            return new Counts(allowed + other.allowed, denied + other.denied, sum);
        }
    }

    /**
     * One refused check, as the usage route shows it: never a secret nor a Client ID.
     *
     * @param route    the method and path called ({@code GET /accounts/acme/orders}), or null when unknown
     * @param sourceIp the address API Gateway saw the request come from, or null when unknown
     */
    record Denial(Instant at, DenialReason reason, String route, String sourceIp) {
        /** The longest route kept: a path can be long, and this is for an admin to recognise it. */
        public static final int MAX_ROUTE = 200;

        public Denial {
            java.util.Objects.requireNonNull(at, "at");
            java.util.Objects.requireNonNull(reason, "reason");
            route = route == null || route.length() <= MAX_ROUTE ? route : route.substring(0, MAX_ROUTE - 1) + "…";
            sourceIp = sourceIp == null || sourceIp.length() <= 45 ? sourceIp : sourceIp.substring(0, 45);
        }
    }
}
