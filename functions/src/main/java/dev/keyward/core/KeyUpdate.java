package dev.keyward.core;

import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What one PATCH of a key asks to change, parsed from the request. A null component was absent
 * from the request and stays as it is; {@code expiresAt} tells "absent" (null) from "null in the
 * request" ({@code Optional.empty()}: never expire).
 *
 * @param name      the new name ({@link Names}), or null
 * @param expiresAt the new expiry, checked for its format ({@link Expiries#parseFormat}; its range
 *                  is checked when it is applied), {@code Optional.empty()} to make the key never
 *                  expire, or null
 * @param scopes    the new scopes ({@link Scopes}; replacing the old ones, empty for none), or null
 * @param enabled   false to suspend the key, true to resume it, or null
 * @param networks  the addresses it may be used from from now on ({@link Networks#ANY} for any), or null
 */
@SuppressWarnings("OptionalUsedAsFieldOrParameterType") // three states: unchanged, removed, set
public record KeyUpdate(String name, Optional<Instant> expiresAt, SortedSet<String> scopes, Boolean enabled,
                        Networks networks) {
    public KeyUpdate {
        name = name == null ? null : Names.normalize(name);
    }

    /** A change of name, expiry or scopes only. */
    public KeyUpdate(String name, Optional<Instant> expiresAt, SortedSet<String> scopes) {
        this(name, expiresAt, scopes, null, null);
    }

    /** Whether it changes what the authorizer reads (the client item), not only the name. */
    public boolean changesAccess() {
        return expiresAt != null || scopes != null || enabled != null || networks != null;
    }
}
