package dev.keyward.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The API-key lifecycle: create, view ("Edit"), list and delete.
 *
 * <p>Ordering rules that keep the two stores honest:
 * <ul>
 *   <li>create stores the secret first and the key second; if the key cannot be saved the secret
 *       is destroyed again, so a key never exists without its secret;</li>
 *   <li>delete removes the key first (that is the moment it stops working) and the secret
 *       second; a secret left behind by a failure there belongs to no key and can never make a
 *       deleted key work again.</li>
 * </ul>
 */
public final class KeyService {
    public static final int DEFAULT_KEY_LIMIT = 100;
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 100;

    private final KeyStore store;
    private final SecretVault vault;
    private final Clock clock;
    private final Supplier<String> keyIds;
    private final int keyLimit;
    private final EventLog log;

    public KeyService(KeyStore store, SecretVault vault, Clock clock, int keyLimit, EventLog log) {
        this.store = Objects.requireNonNull(store);
        this.vault = Objects.requireNonNull(vault);
        this.clock = Objects.requireNonNull(clock);
        this.keyIds = KeyIds.generator(clock);
        if (keyLimit < 1) {
            throw new IllegalArgumentException("keyLimit must be at least 1, was " + keyLimit);
        }
        this.keyLimit = keyLimit;
        this.log = Objects.requireNonNull(log);
    }

    public KeyWithSecret create(String accountId, String rawName, String createdBy) {
        AccountIds.require(accountId);
        String name = Names.normalize(rawName);
        if (store.count(accountId) >= keyLimit) {
            throw keyLimitReached(keyLimit);
        }
        ApiKey key = new ApiKey(accountId, keyIds.get(), name, Credentials.newClientId(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS), createdBy, null);
        String secret = Credentials.newClientSecret();
        String secretRef = vault.store(accountId, key.id(), key.clientId(), secret);
        try {
            store.insert(key, Credentials.hash(secret), secretRef, keyLimit);
        } catch (RuntimeException e) {
            destroyQuietly(accountId, key.id(), e);
            throw e;
        }
        log.info("key_created", accountId, key.id());
        return new KeyWithSecret(key, secret);
    }

    /** The key with its Client Secret: the "Edit" view. */
    public KeyWithSecret get(String accountId, String keyId) {
        StoredKey stored = find(accountId, keyId);
        String secret = vault.read(stored.secretRef()).orElseThrow(() -> {
            log.warn("secret_missing", accountId, keyId, null);
            return new KeywardException(ErrorCode.INTERNAL, "The key's secret could not be read.");
        });
        return new KeyWithSecret(stored.key(), secret);
    }

    public KeyPage list(String accountId, Integer limit, String cursor) {
        AccountIds.require(accountId);
        int pageSize = limit == null ? DEFAULT_PAGE_SIZE : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new KeywardException(ErrorCode.INVALID_LIMIT,
                    "limit must be a whole number from 1 to " + MAX_PAGE_SIZE + ".");
        }
        String after = cursor == null ? null : Cursors.decode(cursor);
        KeyStore.Page page = store.list(accountId, pageSize, after);
        return new KeyPage(page.keys(), page.lastKeyId() == null ? null : Cursors.encode(page.lastKeyId()));
    }

    /** Deletes the key for good: its Client ID is refused from the moment this returns. */
    public void delete(String accountId, String keyId) {
        AccountIds.require(accountId);
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        store.delete(accountId, keyId).orElseThrow(KeywardException::keyNotFound);
        log.info("key_deleted", accountId, keyId);
        destroyQuietly(accountId, keyId, null);
    }

    private StoredKey find(String accountId, String keyId) {
        AccountIds.require(accountId);
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        return store.find(accountId, keyId).orElseThrow(KeywardException::keyNotFound);
    }

    /** Destroys a secret that no key refers to any more; what fails here is left for the sweep. */
    private void destroyQuietly(String accountId, String keyId, RuntimeException primary) {
        try {
            vault.destroy(accountId, keyId);
        } catch (RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
            log.warn("orphan_secret_left", accountId, keyId, e);
        }
    }

    /** Raised by a {@link KeyStore} whose limit condition failed; same answer as the pre-check. */
    public static KeywardException keyLimitReached(int limit) {
        return new KeywardException(ErrorCode.KEY_LIMIT_REACHED,
                "This account already has " + limit + " API keys, the most it may have. Delete one to create another.");
    }

    /**
     * Destroys the secrets that belong to no key: what a create or a delete that failed half-way
     * left behind. A secret younger than {@code minAge} is left alone, since a create still in
     * flight stores its secret before its key.
     *
     * @return how many secrets were destroyed
     */
    public int sweepOrphanSecrets(Duration minAge) {
        Instant cutoff = clock.instant().minus(minAge);
        int destroyed = 0;
        for (SecretVault.Entry entry : vault.list()) {
            if (entry.createdAt().isBefore(cutoff) && store.find(entry.accountId(), entry.keyId()).isEmpty()) {
                vault.destroy(entry.accountId(), entry.keyId());
                log.info("orphan_secret_swept", entry.accountId(), entry.keyId());
                destroyed++;
            }
        }
        return destroyed;
    }
}
