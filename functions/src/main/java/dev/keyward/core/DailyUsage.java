package dev.keyward.core;

import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How often one key was checked on one UTC day: {@code allowed} checks, and {@code denied} ones
 * (its Client ID refused), {@code deniedBy} reason.
 */
public record DailyUsage(LocalDate day, long allowed, long denied, Map<DenialReason, Long> deniedBy) {
    public DailyUsage {
        Objects.requireNonNull(day, "day");
        EnumMap<DenialReason, Long> copy = new EnumMap<>(DenialReason.class);
        copy.putAll(deniedBy);
        deniedBy = Collections.unmodifiableMap(copy);
    }

    /** A day whose denials have no reasons recorded. */
    public DailyUsage(LocalDate day, long allowed, long denied) {
        this(day, allowed, denied, Map.of());
    }
}
