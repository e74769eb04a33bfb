package dev.keyward.core;

import java.util.Optional;

/** Where key metadata and the Client ID lookup live. */
public interface KeyStore {

    /**
     * Saves the key and its client lookup together, counting it against the account's limit.
     *
     * @throws KeywardException {@link ErrorCode#KEY_LIMIT_REACHED} when the account already holds {@code limit} keys
     */
    void insert(ApiKey key, String secretHash, String secretRef, int limit);

    /** The key, read strongly consistent, or empty if it does not exist in this account. */
    Optional<StoredKey> find(String accountId, String keyId);

    /**
     * Gives the key a new name; nothing else changes.
     *
     * @return the renamed key, or empty if it does not exist in this account
     */
    Optional<ApiKey> rename(String accountId, String keyId, String name);

    /** How many keys the account holds now. */
    int count(String accountId);

    /** Up to {@code limit} keys created before {@code afterKeyId} (all when null), newest first. */
    Page list(String accountId, int limit, String afterKeyId);

    /**
     * Removes the key and its client lookup in one step: once this returns, the Client ID is refused.
     *
     * @return the removed key, or empty if there was none
     */
    Optional<StoredKey> delete(String accountId, String keyId);

    /** @param lastKeyId the id to continue after, or null when no key follows */
    record Page(java.util.List<ApiKey> keys, String lastKeyId) {
    }
}
