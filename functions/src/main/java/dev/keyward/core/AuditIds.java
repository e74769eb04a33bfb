package dev.keyward.core;

import java.time.Clock;
import java.util.function.Supplier;

/** Audit event ids: {@code evt_} + a ULID. */
public final class AuditIds {
    public static final String PREFIX = "evt_";

    private AuditIds() {
    }

    public static Supplier<String> generator(Clock clock) {
        return Ulids.generator(PREFIX, clock);
    }

    public static boolean isWellFormed(String id) {
        return Ulids.isWellFormed(PREFIX, id);
    }
}
