package dev.keyward.core;

import java.time.Instant;
import java.util.Optional;

/**
 * Where requests sent with an {@code Idempotency-Key} are remembered, per account, for
 * {@link IdempotencyRecord#WINDOW}: the first request's fingerprint, the attempt running it, and
 * once it succeeded, what it answered (a reference to the secret, never the secret itself).
 */
public interface IdempotencyStore {

    /**
     * Writes {@code record} if the account has no record under its key, or only an expired one.
     *
     * @return false when a live record is there already
     * @throws OutcomeUnknownException when it cannot be told whether it was written
     */
    boolean create(IdempotencyRecord record, Instant now);

    /** The record, read strongly consistent, or empty. */
    Optional<IdempotencyRecord> find(String accountId, String key);

    /**
     * Replaces {@code current} by {@code next} (the following attempt, with a new lease) if
     * {@code current} is still unfinished at its attempt and its lease has run out at {@code now}.
     *
     * @return false when another request took it over, or it finished, first
     */
    boolean takeOver(IdempotencyRecord current, IdempotencyRecord next, Instant now);

    /** Stores what the record's attempt answered. */
    void complete(IdempotencyRecord record, IdempotencyRecord.Result result);

    /** Ends the record's lease without a result, so that a retry runs at once. */
    void release(IdempotencyRecord record);
}
