package dev.keyward.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What Keyward knows about a key, without its secret.
 *
 * @param lastUsedAt when an integration last presented the key, or null if never
 * @param leaked     where and when a secret scanner found a live secret of this key, or null
 */
public record ApiKey(String accountId, String id, String name, String clientId,
                     Instant createdAt, String createdBy, Instant lastUsedAt, Leak leaked) {
    public ApiKey {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A key no scanner has reported. */
    public ApiKey(String accountId, String id, String name, String clientId,
                  Instant createdAt, String createdBy, Instant lastUsedAt) {
        this(accountId, id, name, clientId, createdAt, createdBy, lastUsedAt, null);
    }

    /** A secret scanner's report of one of the key's secrets, found at {@code url}. */
    public record Leak(Instant at, String url) {
        public Leak {
            Objects.requireNonNull(at, "at");
        }
    }
}
