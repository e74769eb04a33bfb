package dev.keyward.core;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;

/** Key ids: {@code key_} + a ULID, so that sorting by id is sorting by creation time. */
public final class KeyIds {
    public static final String PREFIX = "key_";
    private static final int ULID_LENGTH = 26;

    private KeyIds() {
    }

    /** Ids from this generator carry the clock's time and grow strictly, even within one millisecond. */
    public static Supplier<String> generator(Clock clock) {
        UlidFactory factory = UlidFactory.newMonotonicInstance(new SecureRandom(), clock::millis);
        return () -> PREFIX + factory.create().toString();
    }

    public static boolean isWellFormed(String keyId) {
        return keyId != null
                && keyId.length() == PREFIX.length() + ULID_LENGTH
                && keyId.startsWith(PREFIX)
                && Ulid.isValid(keyId.substring(PREFIX.length()));
    }
}
