package dev.keyward.core;

import java.time.LocalDate;
import java.util.Objects;

/**
 * How often one key was checked on one UTC day: {@code allowed} checks, and {@code denied} ones
 * (its Client ID with a wrong or retired secret).
 */
public record DailyUsage(LocalDate day, long allowed, long denied) {
    public DailyUsage {
        Objects.requireNonNull(day, "day");
    }
}
