package dev.keyward.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What Keyward knows about a key, without its secret.
 *
 * @param lastUsedAt when an integration last presented the key, or null if never
 * @param expiresAt  from when on the key is refused, or null if it never expires
 * @param scopes     what the key may do (see {@link RouteScopes}); empty: only the routes open to every key
 * @param leaked     where and when a secret scanner found a live secret of this key, or null
 * @param enabled    false while an admin has suspended the key: it is refused, and keeps everything else
 * @param networks   the addresses it may be used from ({@link Networks#ANY}: any)
 */
public record ApiKey(String accountId, String id, String name, String clientId,
                     Instant createdAt, String createdBy, Instant lastUsedAt,
                     Instant expiresAt, SortedSet<String> scopes, Leak leaked, boolean enabled, Networks networks) {
    public ApiKey {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(createdAt, "createdAt");
        scopes = scopes == null ? Scopes.NONE : java.util.Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
        networks = networks == null ? Networks.ANY : networks;
    }

    /** An enabled key usable from any address. */
    public ApiKey(String accountId, String id, String name, String clientId,
                  Instant createdAt, String createdBy, Instant lastUsedAt,
                  Instant expiresAt, SortedSet<String> scopes, Leak leaked) {
        this(accountId, id, name, clientId, createdAt, createdBy, lastUsedAt, expiresAt, scopes, leaked, true,
                Networks.ANY);
    }

    /** A key that never expires, has no scopes and no scanner has reported. */
    public ApiKey(String accountId, String id, String name, String clientId,
                  Instant createdAt, String createdBy, Instant lastUsedAt) {
        this(accountId, id, name, clientId, createdAt, createdBy, lastUsedAt, null, null, null);
    }

    /** A key no scanner has reported. */
    public ApiKey(String accountId, String id, String name, String clientId,
                  Instant createdAt, String createdBy, Instant lastUsedAt,
                  Instant expiresAt, SortedSet<String> scopes) {
        this(accountId, id, name, clientId, createdAt, createdBy, lastUsedAt, expiresAt, scopes, null);
    }

    /** A key that never expires and has no scopes. */
    public ApiKey(String accountId, String id, String name, String clientId,
                  Instant createdAt, String createdBy, Instant lastUsedAt, Leak leaked) {
        this(accountId, id, name, clientId, createdAt, createdBy, lastUsedAt, null, null, leaked);
    }

    /**
     * {@code expired} from {@link #expiresAt} on (as the authorizer decides), else {@code disabled}
     * while suspended, else {@code active}; see {@link KeyStatus}.
     */
    public KeyStatus status(Instant now) {
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return KeyStatus.EXPIRED;
        }
        return enabled ? KeyStatus.ACTIVE : KeyStatus.DISABLED;
    }

    public ApiKey withName(String newName) {
        return new ApiKey(accountId, id, newName, clientId, createdAt, createdBy, lastUsedAt, expiresAt, scopes, leaked,
                enabled, networks);
    }

    public ApiKey withLastUsedAt(Instant usedAt) {
        return new ApiKey(accountId, id, name, clientId, createdAt, createdBy, usedAt, expiresAt, scopes, leaked,
                enabled, networks);
    }

    /** The same key, usable from {@code allowed} only. */
    public ApiKey withNetworks(Networks allowed) {
        return new ApiKey(accountId, id, name, clientId, createdAt, createdBy, lastUsedAt, expiresAt, scopes, leaked,
                enabled, allowed);
    }

    /** The key with the update's changes applied; what the update leaves out stays. */
    public ApiKey with(KeyUpdate update) {
        return new ApiKey(accountId, id, update.name() == null ? name : update.name(), clientId, createdAt, createdBy,
                lastUsedAt,
                update.expiresAt() == null ? expiresAt : update.expiresAt().orElse(null),
                update.scopes() == null ? scopes : update.scopes(),
                leaked,
                update.enabled() == null ? enabled : update.enabled(),
                update.networks() == null ? networks : update.networks());
    }

    static SortedSet<String> copy(Set<String> scopes) {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
    }

    /** A secret scanner's report of one of the key's secrets, found at {@code url}. */
    public record Leak(Instant at, String url) {
        public Leak {
            Objects.requireNonNull(at, "at");
        }
    }
}
