package dev.keyward.core;

import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What one PATCH of a key changes, validated. A null component stays as it is.
 *
 * @param name      the new name
 * @param expiresAt the new expiry, or {@code Optional.empty()} to make the key never expire
 * @param scopes    the new scopes (replacing the old ones; empty for none)
 */
@SuppressWarnings("OptionalUsedAsFieldOrParameterType") // three states: unchanged, removed, set
public record KeyUpdate(String name, Optional<Instant> expiresAt, SortedSet<String> scopes) {

    /** Whether it changes what the authorizer reads (the client item), not only the name. */
    public boolean changesAccess() {
        return expiresAt != null || scopes != null;
    }
}
