package dev.keyward.core;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the key use cases ({@link KeyCreation}, {@link KeyViews}, {@link KeyUpdates},
 * {@link KeyRotation}, {@link KeyDeletion}, {@link Housekeeping}, {@link AccountSettingsService},
 * {@link KeyPriming}) are built from: the ports, the clock, the log and the account's key limit.
 * One per sandbox: the use cases built from it share its id generators, so key ids and audit
 * event ids grow strictly across all of them, as sorting by id requires.
 *
 * <p>The two stores keep each other honest: the key store (DynamoDB) decides which secrets are
 * accepted; the vault (Secrets Manager) is where admins and integrations fetch the secret. Nothing
 * may make a deleted key work, no failure may leave the vault holding a secret the key store
 * refuses, and no key may exist without its secret.
 *
 * <p>Any call may fail three ways: refused (a condition, a conflict, throttling: nothing was
 * written), unknown ({@link OutcomeUnknownException}: no answer, or a 5xx; the write may have
 * been applied, and may even be applied later), or a bug. An unknown outcome is resolved by
 * reading state, never by guessing; when even the read fails, the request answers 503 and leaves
 * nothing the use cases' next steps cannot repair. Every write is safe to repeat: the key store's
 * transactions carry a request token derived from the operation, and the vault's writes a
 * request id, so the SDK's own retry of a write that was applied does not apply it twice.
 *
 * <p>Every change, and every view of a secret, is an event ({@link ChangeEvent}) and, for most, an
 * entry of the audit trail. A change's event is written in the change's own transaction (a
 * transactional outbox), so it exists exactly when the change committed; a view is recorded
 * before the secret is read, so no secret is shown unrecorded.
 */
public final class KeyPorts {
    public static final int DEFAULT_KEY_LIMIT = 100;

    private final KeyStore store;
    private final ClientStore clients;
    private final SecretVault vault;
    private final AuditTrail audit;
    private final IdempotencyStore idempotency;
    private final Clock clock;
    private final int keyLimit;
    private final EventLog log;
    private final Supplier<String> keyIds;
    private final ChangeEvents events;
    private final AuditRecorder recorder;

    /** Ports without an idempotency store: requests with an Idempotency-Key are refused (for tests that need none). */
    public KeyPorts(KeyStore store, ClientStore clients, SecretVault vault, AuditTrail audit, Clock clock,
                    int keyLimit, EventLog log) {
        this(store, clients, vault, audit, null, clock, keyLimit, log);
    }

    public KeyPorts(KeyStore store, ClientStore clients, SecretVault vault, AuditTrail audit,
                    IdempotencyStore idempotency, Clock clock, int keyLimit, EventLog log) {
        this.store = Objects.requireNonNull(store);
        this.clients = Objects.requireNonNull(clients);
        this.vault = Objects.requireNonNull(vault);
        this.audit = Objects.requireNonNull(audit);
        this.idempotency = idempotency;
        this.clock = Objects.requireNonNull(clock);
        if (keyLimit < 1) {
            throw new IllegalArgumentException("keyLimit must be at least 1, was " + keyLimit);
        }
        this.keyLimit = keyLimit;
        this.log = Objects.requireNonNull(log);
        this.keyIds = KeyIds.generator(clock);
        this.events = new ChangeEvents(clock);
        this.recorder = new AuditRecorder(audit, events);
    }

    public KeyStore store() {
        return store;
    }

    public ClientStore clients() {
        return clients;
    }

    public SecretVault vault() {
        return vault;
    }

    public AuditTrail audit() {
        return audit;
    }

    /** The idempotency store, or null when requests with an Idempotency-Key are refused. */
    public IdempotencyStore idempotency() {
        return idempotency;
    }

    /** The use cases' clock: what a key's {@link ApiKey#status} is computed against. */
    public Clock clock() {
        return clock;
    }

    public int keyLimit() {
        return keyLimit;
    }

    public EventLog log() {
        return log;
    }

    Supplier<String> keyIds() {
        return keyIds;
    }

    /** The events the use cases hand to the stores. */
    ChangeEvents events() {
        return events;
    }

    AuditRecorder recorder() {
        return recorder;
    }

    /** The key, or 404 when the account has no such key (or the id could not be one). */
    StoredKey find(String accountId, String keyId) {
        AccountIds.require(accountId);
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        return store.find(accountId, keyId).orElseThrow(KeywardException::keyNotFound);
    }

    /** The log line for a key whose secret is gone from the vault, and the 500 it answers. */
    KeywardException secretMissing(String accountId, String keyId) {
        log.warn("secret_missing", accountId, keyId, null);
        return new KeywardException(ErrorCode.INTERNAL, "The key's secret could not be read.");
    }

    /** Destroys a secret that no key refers to any more; what fails here stays noted for the sweep. */
    void destroyOrphanSecret(String accountId, String keyId, RuntimeException primary) {
        BestEffort.run(log, "orphan_secret_left", accountId, keyId, primary, () -> {
            vault.destroy(accountId, keyId);
            store.forgetSecret(accountId, keyId);
        });
    }
}
