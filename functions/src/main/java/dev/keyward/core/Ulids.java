package dev.keyward.core;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;

/** Prefixed ULIDs: sorting them is sorting by the time they were made. */
final class Ulids {
    static final int LENGTH = 26;

    private Ulids() {
    }

    /** Ids from this generator carry the clock's time and grow strictly, even within one millisecond. */
    static Supplier<String> generator(String prefix, Clock clock) {
        UlidFactory factory = UlidFactory.newMonotonicInstance(new SecureRandom(), clock::millis);
        return () -> prefix + factory.create().toString();
    }

    static boolean isWellFormed(String prefix, String id) {
        return id != null
                && id.length() == prefix.length() + LENGTH
                && id.startsWith(prefix)
                && Ulid.isValid(id.substring(prefix.length()));
    }
}
