package dev.keyward.core;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gives a key a new Client Secret under the same Client ID, optionally under an Idempotency-Key
 * ({@link IdempotentRequests}). The previous secret keeps working for a grace period.
 *
 * <p>Ordering rules (see {@link KeyPorts} for the failure model). A rotation takes three writes,
 * each conditional on the client item still existing at the revision read, so a rotation racing a
 * delete fails instead of bringing the key back:
 * <ol>
 *   <li>the key store accepts the new secret besides the current one and takes a lease
 *       ({@link #ROTATION_LEASE}) so that rotations of one key never overlap. A refused
 *       condition is read back: if the stored client is this write's state, the write was ours
 *       (a retry of a lost answer) and the rotation goes on; otherwise it is 409 or 404. Crash:
 *       the new secret is accepted too, though nobody has it; the lease runs out;</li>
 *   <li>the vault stores the new secret as current. Unknown outcome: the vault is read; if it
 *       holds the new secret the rotation goes on, otherwise the lease is released and the answer
 *       is 503. Crash: both secrets work until the next rotation, which starts the grace period
 *       for every secret a failed one left behind;</li>
 *   <li>the key store makes the new secret current and keeps the previous one until the grace
 *       period ends (or drops it at once for a grace of 0), writing the {@code key.rotated} event in
 *       the same step. A refused condition or an unknown
 *       outcome is read back: if the client is in this write's state the answer is 200 (a
 *       completed rotation never answers 409); otherwise the lease is released and the answer
 *       is 503, with both secrets working.</li>
 * </ol>
 * No step locks the integration out: whatever the vault hands out is accepted.
 *
 * <p>With an Idempotency-Key, each attempt writes its own secret version. A taken-over attempt
 * looks for the secret earlier attempts stored: current means done, answered again; stored but not
 * current means it stopped before step 3, which is finished now; overtaken by another rotation
 * answers 409 rotation_superseded. So a key is never rotated twice for one request, and the first
 * attempt's grace is never cut short.
 */
public final class KeyRotation {
    public static final int MAX_GRACE_SECONDS = 86_400;
    /** Longer than any request may run (the functions time out after 20 s). */
    public static final Duration ROTATION_LEASE = Duration.ofSeconds(60);

    private final KeyPorts ports;
    private final ClientStore clients;
    private final SecretVault vault;
    private final IdempotentRequests idempotent;

    public KeyRotation(KeyPorts ports) {
        this.ports = ports;
        this.clients = ports.clients();
        this.vault = ports.vault();
        this.idempotent = new IdempotentRequests(ports);
    }

    /**
     * Gives the key a new Client Secret. The previous secret keeps working for
     * {@code graceSeconds} (0 to {@value #MAX_GRACE_SECONDS}), then is refused.
     */
    public RotatedKey rotate(String accountId, String keyId, Long graceSeconds, String caller) {
        return rotate(accountId, keyId, graceSeconds, caller, null);
    }

    /**
     * Rotates; with an {@code idempotencyKey}, a repeat of the same request within
     * {@link IdempotencyRecord#WINDOW} answers the same new secret and rotates nothing.
     *
     * @param idempotencyKey the request's Idempotency-Key, or null for none
     */
    public RotatedKey rotate(String accountId, String keyId, Long graceSeconds, String caller, String idempotencyKey) {
        AccountIds.require(accountId);
        if (graceSeconds == null || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
            throw new KeywardException(ErrorCode.INVALID_GRACE_PERIOD,
                    "graceSeconds must be a whole number from 0 to " + MAX_GRACE_SECONDS + ".");
        }
        if (idempotencyKey == null) {
            return rotateOnce(accountId, keyId, graceSeconds, caller, null).rotated();
        }
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        IdempotentRequests.Claim claim = idempotent.claim(accountId, idempotencyKey,
                IdempotentRequests.fingerprint("rotate", accountId, keyId, graceSeconds.toString()), keyId);
        if (claim.done() != null) {
            return idempotent.replay(claim.done(), caller);
        }
        IdempotencyRecord record = claim.running();
        try {
            Rotation rotation = record.attempt() > 1 ? resume(record, graceSeconds, caller) : null;
            if (rotation == null) {
                rotation = rotateOnce(accountId, keyId, graceSeconds, caller, requestId(record, record.attempt()));
            }
            RotatedKey rotated = rotation.rotated();
            Instant answeredAt = ports.clock().instant();
            idempotent.complete(record, new IdempotencyRecord.Result(rotated.key().key(), rotation.secretRef(),
                    rotation.requestId(), rotated.previousValidUntil(), answeredAt));
            return new RotatedKey(new KeyWithSecret(rotated.key().key(), rotated.key().clientSecret(), answeredAt),
                    rotated.previousValidUntil());
        } catch (RuntimeException e) {
            idempotent.release(record, e);
            throw e;
        }
    }

    private record Rotation(RotatedKey rotated, String secretRef, String requestId) {
    }

    /** Each attempt writes its own secret version; a repeat of one attempt's write is the same request. */
    private static String requestId(IdempotencyRecord record, int attempt) {
        return "rotate " + record.accountId() + " " + record.key() + " " + attempt;
    }

    /**
     * A taken-over rotation, after an attempt that failed or crashed without recording its answer:
     * the rotation an earlier attempt made, if one stored its secret. Its secret current: it was
     * done, and its answer is given again. Its secret stored but not yet current (it stopped
     * between steps 2 and 3): its step 3 is finished now. Either way nothing rotates twice, so
     * the grace the first attempt gave the previous secret is never cut short. Null when no
     * earlier attempt stored a secret: the rotation starts afresh.
     */
    private Rotation resume(IdempotencyRecord record, long graceSeconds, String caller) {
        StoredKey stored = ports.find(record.accountId(), record.keyId());
        for (int attempt = record.attempt() - 1; attempt >= 1; attempt--) {
            String requestId = requestId(record, attempt);
            Optional<String> secret = vault.readVersion(stored.secretRef(), requestId);
            if (secret.isEmpty()) {
                continue;
            }
            String hash = Credentials.hash(secret.get());
            ClientRecord client = clients.find(stored.key().clientId()).orElseThrow(KeywardException::keyNotFound);
            if (client.secretHash().equals(hash)) {
                return new Rotation(new RotatedKey(new KeyWithSecret(stored.key(), secret.get()),
                        client.previousValidUntil()), stored.secretRef(), requestId);
            }
            if (!client.awaits(hash)) {
                throw new KeywardException(ErrorCode.ROTATION_SUPERSEDED,
                        "This key was rotated by another request after this one stopped; rotate it again with a new"
                                + " Idempotency-Key to get a secret.");
            }
            if (client.rotationInProgress(ports.clock().instant())) {
                throw rotationInProgress();
            }
            Instant previousValidUntil = graceEnd(graceSeconds);
            if (!write(client, client.completeRotation(hash, previousValidUntil),
                    rotatedEvent(stored.key(), caller, previousValidUntil))) {
                throw clients.find(client.clientId()).isEmpty() ? KeywardException.keyNotFound() : rotationInProgress();
            }
            rotated(record.accountId(), record.keyId());
            return new Rotation(new RotatedKey(new KeyWithSecret(stored.key(), secret.get()), previousValidUntil),
                    stored.secretRef(), requestId);
        }
        return null;
    }

    /**
     * The end of a grace period that starts now, rounded up to a whole second: never earlier than
     * asked. Null for a grace of 0: the previous secret is refused at once.
     */
    private Instant graceEnd(long graceSeconds) {
        if (graceSeconds == 0) {
            return null;
        }
        Instant end = ports.clock().instant().plusSeconds(graceSeconds);
        Instant whole = end.truncatedTo(ChronoUnit.SECONDS);
        return whole.equals(end) ? end : whole.plusSeconds(1);
    }

    private Rotation rotateOnce(String accountId, String keyId, long graceSeconds, String caller, String requestId) {
        StoredKey stored = ports.find(accountId, keyId);
        String clientId = stored.key().clientId();
        ClientRecord before = clients.find(clientId).orElseThrow(KeywardException::keyNotFound);
        if (before.rotationInProgress(ports.clock().instant())) {
            throw rotationInProgress();
        }
        String secret = Credentials.newClientSecret();
        String hash = Credentials.hash(secret);
        String writeId = requestId != null ? requestId : "rotate " + clientId + " " + hash;
        return new Rotation(rotateTo(stored, before, secret, graceSeconds, caller, writeId), stored.secretRef(), writeId);
    }

    /** Steps 1 to 3 (see the class comment) to {@code secret}. */
    private RotatedKey rotateTo(StoredKey stored, ClientRecord before, String secret, long graceSeconds, String caller,
                                String requestId) {
        String clientId = before.clientId();
        String hash = Credentials.hash(secret);
        ClientRecord accepting = before.beginRotation(hash, ports.clock().instant().plus(ROTATION_LEASE));
        if (!write(before, accepting)) {
            throw clients.find(clientId).isEmpty() ? KeywardException.keyNotFound() : rotationInProgress();
        }
        try {
            vault.replace(stored.secretRef(), clientId, secret, requestId);
        } catch (OutcomeUnknownException e) {
            if (!secret.equals(vault.read(stored.secretRef()).orElse(null))) {
                releaseLease(accepting, e);
                throw e;
            }
        } catch (RuntimeException e) {
            releaseLease(accepting, e);
            throw e;
        }
        Instant previousValidUntil = graceEnd(graceSeconds);
        boolean completed;
        try {
            completed = write(accepting, accepting.completeRotation(hash, previousValidUntil),
                    rotatedEvent(stored.key(), caller, previousValidUntil));
        } catch (RuntimeException e) {
            releaseLease(accepting, e);
            throw e;
        }
        if (!completed) {
            // deleted meanwhile, or our lease ran out and another rotation took over
            throw clients.find(clientId).isEmpty() ? KeywardException.keyNotFound() : rotationInProgress();
        }
        rotated(stored.key().accountId(), stored.key().id());
        return new RotatedKey(new KeyWithSecret(stored.key(), secret), previousValidUntil);
    }

    private void rotated(String accountId, String keyId) {
        ports.log().info("key_rotated", accountId, keyId);
    }

    /** The completing write's event (step 3): written with it, so it exists exactly when the rotation completed. */
    private ChangeEvent rotatedEvent(ApiKey key, String caller, Instant previousValidUntil) {
        Map<String, Object> data = new HashMap<>();
        data.put("previousSecretValidUntil", ChangeEvent.time(previousValidUntil));
        return ports.events().key(EventType.KEY_ROTATED, key, ChangeEvent.Actor.admin(caller), data);
    }

    /**
     * Writes {@code next} over {@code current} (its revision). A refused condition or an
     * unknown outcome is read back: if the stored client is in {@code next}'s state, the write
     * was applied (by an attempt whose answer was lost).
     *
     * @return whether the client is now in {@code next}'s state
     */
    private boolean write(ClientRecord current, ClientRecord next) {
        return write(current, next, null);
    }

    /** {@link #write(ClientRecord, ClientRecord)} with {@code event} written in the same step (when not null). */
    private boolean write(ClientRecord current, ClientRecord next, ChangeEvent event) {
        return ReadBack.written(() -> clients.replace(current, next, event), () -> isStateOf(next));
    }

    private boolean isStateOf(ClientRecord written) {
        return clients.find(written.clientId()).filter(current -> current.isStateOf(written)).isPresent();
    }

    /** Frees a rotation's lease after the vault failed; if that fails too, the lease simply runs out. */
    private void releaseLease(ClientRecord accepting, RuntimeException primary) {
        BestEffort.run(ports.log(), "rotation_lease_kept", accepting.accountId(), accepting.keyId(), primary,
                () -> clients.replace(accepting, accepting.releaseRotation()));
    }

    private static KeywardException rotationInProgress() {
        return new KeywardException(ErrorCode.ROTATION_IN_PROGRESS,
                "Another rotation of this key is in progress; try again in a minute.", null,
                (int) ROTATION_LEASE.toSeconds());
    }
}
