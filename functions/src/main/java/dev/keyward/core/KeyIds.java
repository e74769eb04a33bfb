package dev.keyward.core;

import java.time.Clock;
import java.util.function.Supplier;

/** Key ids: {@code key_} + a ULID, so that sorting by id is sorting by creation time. */
public final class KeyIds {
    public static final String PREFIX = "key_";

    private KeyIds() {
    }

    /** Ids from this generator carry the clock's time and grow strictly, even within one millisecond. */
    public static Supplier<String> generator(Clock clock) {
        return Ulids.generator(PREFIX, clock);
    }

    public static boolean isWellFormed(String keyId) {
        return Ulids.isWellFormed(PREFIX, keyId);
    }
}
