package dev.keyward.core;

import java.time.Instant;
import java.util.Optional;

/** What answering a secret-scanning report needs besides the key lifecycle. */
public interface LeakStore {

    /**
     * The key a secret belongs to, or belonged to, found by the secret's SHA-256 alone; empty
     * when no key of this deployment ever had it. Whether it still works is the client's to say.
     */
    Optional<SecretOwner> ownerOf(String secretHash);

    /** The account's leak policy; {@link LeakPolicy#REVOKE} unless the account chose otherwise. */
    LeakPolicy policy(String accountId);

    /**
     * Marks the key leaked at {@code url}, unless it already is for this very secret, and writes
     * {@code event} in the same step: it exists exactly when the mark was written.
     *
     * @return true when the mark was written now; false when it was there already or the key is gone
     */
    boolean flag(String accountId, String keyId, String secretHash, String url, Instant at, ChangeEvent event);

    /** Whose secret a hash is. */
    record SecretOwner(String accountId, String keyId, String clientId) {
    }
}
