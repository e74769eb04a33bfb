package dev.keyward.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One {@code Idempotency-Key} of one account.
 *
 * @param fingerprint what the request was (operation, path and body, hashed): a retry must match it
 * @param keyId       the key the request creates (reserved before anything is written, so every
 *                    attempt creates the same key) or rotates
 * @param attempt     1 for the first request, one more for each request that took over after a
 *                    failed or crashed one
 * @param owner       a random id of the request holding this attempt: how a request whose write
 *                    of the record was answered late, or refused on the SDK's retry, tells its
 *                    own claim from another request's
 * @param leaseUntil  until when the attempt is presumed running
 * @param expiresAt   when the record is forgotten
 * @param result      what the request answered, once it succeeded; null before
 */
public record IdempotencyRecord(String accountId, String key, String fingerprint, String keyId, int attempt,
                                String owner, Instant leaseUntil, Instant expiresAt, Result result) {
    /** How long a key is remembered (as long as Stripe's). */
    public static final Duration WINDOW = Duration.ofHours(24);
    /** Longer than any request may run (the functions time out after 20 s). */
    public static final Duration LEASE = Duration.ofSeconds(30);

    public IdempotencyRecord {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(owner, "owner");
    }

    /**
     * What a successful request answered: the key as it was then, and where its secret is. The
     * secret itself is read back from the vault (the version {@code secretRequestId} wrote).
     *
     * <p>Everything the answer showed but the secret is kept, member for member, so that a replay
     * answers what the first answer said: the key as it was (name, expiry, scopes, leak), and the
     * time it was answered at, which the key's status is computed against.
     *
     * @param previousValidUntil a rotation's end of grace; null for a create or a grace of 0
     * @param answeredAt         when the first answer was given
     */
    public record Result(ApiKey key, String secretRef, String secretRequestId, Instant previousValidUntil,
                         Instant answeredAt) {
        public Result {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(secretRef, "secretRef");
            Objects.requireNonNull(secretRequestId, "secretRequestId");
            Objects.requireNonNull(answeredAt, "answeredAt");
        }
    }

    /** Whether the record's window has ended at {@code now}: a new request may use its key. */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    IdempotencyRecord takenOver(String newOwner, Instant newLeaseUntil) {
        return new IdempotencyRecord(accountId, key, fingerprint, keyId, attempt + 1, newOwner, newLeaseUntil, expiresAt, null);
    }

    /** Whether {@code written} is this record's attempt, written by the same request. */
    boolean heldBy(IdempotencyRecord written) {
        return attempt == written.attempt && owner.equals(written.owner) && result == null;
    }
}
