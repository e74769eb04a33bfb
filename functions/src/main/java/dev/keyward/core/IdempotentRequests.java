package dev.keyward.core;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Requests with an Idempotency-Key ({@link KeyCreation} and {@link KeyRotation}): claim, replay,
 * complete, release.
 *
 * <p>Ordering rules. The request first claims the key in the {@link IdempotencyStore} (a
 * conditional write: one request wins), reserving the key id a create will use. Refused or
 * unknown, the claim is read back: it is ours only if the stored record is the one we wrote. A
 * failed attempt releases the claim, so a retry runs at once and, for a create, makes the same key
 * and keeps the secret an earlier attempt stored. A crash leaves the claim held for
 * {@link IdempotencyRecord#LEASE}; the next retry then takes over (the record's attempt counts
 * up) and the use case resumes what the crashed attempt did: a create finds the key if it was
 * saved; a rotation finds the secret an earlier attempt stored (by that attempt's version id) and
 * answers it again, finishing its step 3 if it stopped before, so a key is never rotated twice for
 * one request and no retry cuts a grace short. A success stores the answer, member for member and
 * with the time it was given, but only a reference to the secret; a retry replays it, recording
 * the view of the secret before reading it back. The range of an expiry is checked when a key is
 * made, never for a replay.
 */
final class IdempotentRequests {
    private final IdempotencyStore idempotency;
    private final SecretVault vault;
    private final AuditRecorder recorder;
    private final java.time.Clock clock;
    private final EventLog log;

    IdempotentRequests(KeyPorts ports) {
        this.idempotency = ports.idempotency();
        this.vault = ports.vault();
        this.recorder = ports.recorder();
        this.clock = ports.clock();
        this.log = ports.log();
    }

    /** Either a stored answer to replay, or the record this request now runs under. */
    record Claim(IdempotencyRecord done, IdempotencyRecord running) {
    }

    /** A request's fingerprint: the same request, and only it, has the same one. */
    static String fingerprint(String... parts) {
        return Credentials.hash(String.join("\n", parts));
    }

    /**
     * Starts a request under {@code idempotencyKey}: a new record (reserving {@code keyId}), a
     * finished one to replay, or an unfinished one whose lease ran out (a failed or crashed
     * attempt), taken over with the same reserved key id.
     */
    Claim claim(String accountId, String idempotencyKey, String fingerprint, String keyId) {
        if (idempotency == null) {
            throw new IllegalStateException("This service has no idempotency store");
        }
        IdempotencyKeys.require(idempotencyKey);
        Instant now = clock.instant();
        IdempotencyRecord fresh = new IdempotencyRecord(accountId, idempotencyKey, fingerprint, keyId, 1,
                UUID.randomUUID().toString(), now.plus(IdempotencyRecord.LEASE), now.plus(IdempotencyRecord.WINDOW), null);
        if (claimed(fresh, () -> idempotency.create(fresh, now))) {
            return new Claim(null, fresh);
        }
        IdempotencyRecord existing = idempotency.find(accountId, idempotencyKey)
                .filter(r -> !r.expiredAt(now))
                .orElseThrow(() -> inProgress(1)); // expired meanwhile: the retry will find it free
        if (!existing.fingerprint().equals(fingerprint)) {
            throw new KeywardException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was used with a different request; use a new key for a new request.");
        }
        if (existing.result() != null) {
            return new Claim(existing, null);
        }
        if (existing.leaseUntil().isAfter(now)) {
            throw inProgress(Duration.between(now, existing.leaseUntil()).toSeconds() + 1);
        }
        IdempotencyRecord next = existing.takenOver(UUID.randomUUID().toString(), now.plus(IdempotencyRecord.LEASE));
        if (!claimed(next, () -> idempotency.takeOver(existing, next, now))) {
            throw inProgress(IdempotencyRecord.LEASE.toSeconds());
        }
        return new Claim(null, next);
    }

    /**
     * Writes a claim. Refused or unknown, it is read back: the claim is ours if the stored record
     * is {@code claim} (the SDK's retry of our own write was refused by its condition, or the
     * answer was lost), never another request's.
     */
    private boolean claimed(IdempotencyRecord claim, BooleanSupplier write) {
        return ReadBack.written(write, () -> isOurs(claim));
    }

    private boolean isOurs(IdempotencyRecord claim) {
        return idempotency.find(claim.accountId(), claim.key()).filter(stored -> stored.heldBy(claim)).isPresent();
    }

    /**
     * The stored answer again, member for member: the key as it was, as of when it was answered,
     * and the secret read back from the version it wrote. Showing the secret again is a view of
     * it, audited before it is read, as the "Edit" view is. A key deleted since answers 404.
     */
    RotatedKey replay(IdempotencyRecord done, String caller) {
        IdempotencyRecord.Result result = done.result();
        recorder.secretViewed(result.key(), caller);
        String secret = vault.readVersion(result.secretRef(), result.secretRequestId())
                .orElseThrow(KeywardException::keyNotFound); // the key was deleted since
        log.info("secret_viewed", done.accountId(), result.key().id());
        return new RotatedKey(new KeyWithSecret(result.key(), secret, result.answeredAt()), result.previousValidUntil());
    }

    /** Stores the answer; if that fails, a retry after the lease takes over and finds its work done. */
    void complete(IdempotencyRecord record, IdempotencyRecord.Result result) {
        BestEffort.run(log, "idempotency_not_recorded", record.accountId(), record.keyId(), null,
                () -> idempotency.complete(record, result));
    }

    /** Frees the claim after a failed attempt, so a retry runs at once; if that fails, the lease runs out. */
    void release(IdempotencyRecord record, RuntimeException primary) {
        BestEffort.run(log, "idempotency_lease_kept", record.accountId(), record.keyId(), primary,
                () -> idempotency.release(record));
    }

    private static KeywardException inProgress(long retryAfterSeconds) {
        return new KeywardException(ErrorCode.IDEMPOTENCY_IN_PROGRESS,
                "A request with this Idempotency-Key is still in progress; retry after it finished.", null,
                (int) Math.max(1, retryAfterSeconds));
    }
}
