package dev.keyward.core;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How much a key was used: allowed and denied checks per UTC day (the denied ones per reason),
 * and its latest denials, for the admins' Edit view.
 */
public final class KeyUsage {
    public static final int DEFAULT_DAYS = 30;
    public static final int MAX_DAYS = (int) UsageStore.RETENTION.toDays();

    private final KeyStore keys;
    private final UsageStore usage;
    private final Clock clock;

    public KeyUsage(KeyStore keys, UsageStore usage, Clock clock) {
        this.keys = Objects.requireNonNull(keys);
        this.usage = Objects.requireNonNull(usage);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * One entry per day of the last {@code days} UTC days (1 to {@value #MAX_DAYS}, today
     * included; default {@value #DEFAULT_DAYS}), oldest first, days without checks as zeros.
     */
    public List<DailyUsage> days(String accountId, String keyId, Integer days) {
        AccountIds.require(accountId);
        int count = days == null ? DEFAULT_DAYS : days;
        if (count < 1 || count > MAX_DAYS) {
            throw invalidDays();
        }
        if (!KeyIds.isWellFormed(keyId) || keys.find(accountId, keyId).isEmpty()) {
            throw KeywardException.keyNotFound();
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = today.minusDays(count - 1L);
        Map<LocalDate, DailyUsage> stored = usage.days(accountId, keyId, first, today).stream()
                .collect(Collectors.toMap(DailyUsage::day, Function.identity(), (a, b) -> a));
        List<DailyUsage> series = new ArrayList<>(count);
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            series.add(stored.getOrDefault(day, new DailyUsage(day, 0, 0)));
        }
        return series;
    }

    /** The days as {@link #days} answers them, and the key's latest denials of the last {@link UsageStore#DENIALS_KEPT}. */
    public Report report(String accountId, String keyId, Integer days) {
        List<DailyUsage> series = days(accountId, keyId, days);
        return new Report(series, usage.recentDenials(accountId, keyId, clock.instant().minus(UsageStore.DENIALS_KEPT)));
    }

    /** @param recentDenials newest first, at most {@value UsageStore#RECENT_DENIALS} */
    public record Report(List<DailyUsage> days, List<UsageStore.Denial> recentDenials) {
    }

    public static KeywardException invalidDays() {
        return new KeywardException(ErrorCode.INVALID_DAYS, "days must be a whole number from 1 to " + MAX_DAYS + ".");
    }
}
