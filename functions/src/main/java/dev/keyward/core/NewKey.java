package dev.keyward.core;

import java.time.Instant;
import java.util.Objects;
import java.util.SortedSet;

/**
 * What a create asks for, parsed from the request: a name ({@link Names}), an expiry checked for
 * its format only ({@link Expiries#parseFormat}; null for never), and the scopes ({@link Scopes};
 * empty for none). The expiry's range moves with time, so {@link KeyCreation} checks it when it
 * makes the key, never when it replays an answer. {@code networks}: the addresses it may be used
 * from ({@link Networks#ANY} for any).
 */
public record NewKey(String name, Instant expiresAt, SortedSet<String> scopes, Networks networks) {
    public NewKey {
        name = Names.normalize(name);
        Objects.requireNonNull(scopes, "scopes: Scopes.NONE for none");
        networks = networks == null ? Networks.ANY : networks;
    }

    /** A key usable from any address. */
    public NewKey(String name, Instant expiresAt, SortedSet<String> scopes) {
        this(name, expiresAt, scopes, Networks.ANY);
    }

    /** A key named {@code name} that never expires and has no scopes. */
    public static NewKey named(String name) {
        return new NewKey(name, null, Scopes.NONE);
    }
}
