package dev.keyward.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What Keyward knows about a key, without its secret.
 *
 * @param lastUsedAt when an integration last presented the key, or null if never
 */
public record ApiKey(String accountId, String id, String name, String clientId,
                     Instant createdAt, String createdBy, Instant lastUsedAt) {
    public ApiKey {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
