package dev.keyward.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The API-key lifecycle: create, view ("Edit"), list, rename, rotate and delete, and the
 * account's audit trail of them.
 *
 * <p>Ordering rules that keep the two stores honest. The key store (DynamoDB) decides which
 * secrets are accepted; the vault (Secrets Manager) is where admins and integrations fetch the
 * secret. Nothing may make a deleted key work, and no failure may leave the vault holding a
 * secret the key store refuses.
 * <ul>
 *   <li>create notes the secret, stores it, then saves the key (which drops the note in the
 *       same transaction); if the key cannot be saved the secret is destroyed again, so a key
 *       never exists without its secret;</li>
 *   <li>delete removes the key and notes its secret in one transaction (that is the moment the
 *       key stops working), then destroys the secret and drops the note. A secret left behind by
 *       a failure there belongs to no key and can never make the deleted key work again;</li>
 *   <li>whatever a failure or a crash between two steps leaves noted is found and destroyed by
 *       {@link #sweepOrphanSecrets}, without listing the whole vault;</li>
 *   <li>rotate takes three steps. (1) The key store accepts the new secret besides the current
 *       one and takes a lease ({@link #ROTATION_LEASE}) so that rotations of one key never
 *       overlap. (2) The vault stores the new secret as current. (3) The key store makes it the
 *       current secret and keeps the previous one until the grace period ends (or drops it at
 *       once for a grace of 0). A failure after (1) leaves the old secret working, with no end;
 *       a failure after (2) leaves both working; neither locks the integration out, and the
 *       next rotation starts the grace period for every secret a failed one left behind. Every
 *       write is conditional on the client still existing at the revision read, so a rotation
 *       racing a delete fails instead of bringing the key back.</li>
 * </ul>
 *
 * <p>Every change, and every view of a secret, is written to the audit trail. A view is recorded
 * before the secret is read, so no secret is shown unrecorded; a change is recorded after it
 * succeeded, and a failure to record it is logged rather than reported as a failed change.
 */
public final class KeyService {
    public static final int DEFAULT_KEY_LIMIT = 100;
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 100;
    public static final int MAX_GRACE_SECONDS = 86_400;
    /** Longer than any request may run (the functions time out after 20 s). */
    public static final Duration ROTATION_LEASE = Duration.ofSeconds(60);

    private final KeyStore store;
    private final ClientStore clients;
    private final SecretVault vault;
    private final AuditTrail audit;
    private final Clock clock;
    private final Supplier<String> keyIds;
    private final Supplier<String> auditIds;
    private final int keyLimit;
    private final EventLog log;

    public KeyService(KeyStore store, ClientStore clients, SecretVault vault, AuditTrail audit, Clock clock,
                      int keyLimit, EventLog log) {
        this.store = Objects.requireNonNull(store);
        this.clients = Objects.requireNonNull(clients);
        this.vault = Objects.requireNonNull(vault);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        this.keyIds = KeyIds.generator(clock);
        this.auditIds = AuditIds.generator(clock);
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
        store.noteSecret(accountId, key.id(), key.createdAt());
        try {
            String secretRef = vault.store(accountId, key.id(), key.clientId(), secret);
            store.insert(key, Credentials.hash(secret), secretRef, keyLimit);
        } catch (RuntimeException e) {
            destroyQuietly(accountId, key.id(), e);
            throw e;
        }
        log.info("key_created", accountId, key.id());
        recordQuietly(accountId, AuditAction.CREATED, key.id(), createdBy);
        return new KeyWithSecret(key, secret);
    }

    /** The key with its Client Secret: the "Edit" view. The view is audited before the secret is read. */
    public KeyWithSecret get(String accountId, String keyId, String caller) {
        StoredKey stored = find(accountId, keyId);
        audit.record(event(accountId, AuditAction.SECRET_VIEWED, keyId, caller));
        String secret = vault.read(stored.secretRef()).orElseThrow(() -> {
            log.warn("secret_missing", accountId, keyId, null);
            return new KeywardException(ErrorCode.INTERNAL, "The key's secret could not be read.");
        });
        return new KeyWithSecret(stored.key(), secret);
    }

    public KeyPage list(String accountId, Integer limit, String cursor) {
        AccountIds.require(accountId);
        int pageSize = pageSize(limit);
        String after = cursor == null ? null : Cursors.decode(cursor);
        KeyStore.Page page = store.list(accountId, pageSize, after);
        return new KeyPage(page.keys(), page.lastKeyId() == null ? null : Cursors.encode(page.lastKeyId()));
    }

    /** Gives the key a new name (the "Edit" screen); its credentials do not change. */
    public ApiKey rename(String accountId, String keyId, String rawName, String caller) {
        AccountIds.require(accountId);
        String name = Names.normalize(rawName);
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        ApiKey renamed = store.rename(accountId, keyId, name).orElseThrow(KeywardException::keyNotFound);
        log.info("key_renamed", accountId, keyId);
        recordQuietly(accountId, AuditAction.RENAMED, keyId, caller);
        return renamed;
    }

    /**
     * Gives the key a new Client Secret under the same Client ID. The previous secret keeps
     * working for {@code graceSeconds} (0 to {@value #MAX_GRACE_SECONDS}), then is refused. See
     * the class comment for the order of the writes.
     */
    public RotatedKey rotate(String accountId, String keyId, Long graceSeconds, String caller) {
        AccountIds.require(accountId);
        if (graceSeconds == null || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
            throw new KeywardException(ErrorCode.INVALID_GRACE_PERIOD,
                    "graceSeconds must be a whole number from 0 to " + MAX_GRACE_SECONDS + ".");
        }
        StoredKey stored = find(accountId, keyId);
        String clientId = stored.key().clientId();
        ClientRecord before = clients.find(clientId).orElseThrow(KeywardException::keyNotFound);
        if (before.rotationInProgress(clock.instant())) {
            throw rotationInProgress();
        }
        String secret = Credentials.newClientSecret();
        String hash = Credentials.hash(secret);

        ClientRecord accepting = before.beginRotation(hash, clock.instant().plus(ROTATION_LEASE));
        if (!clients.replace(before, accepting)) {
            throw clients.find(clientId).isEmpty() ? KeywardException.keyNotFound() : rotationInProgress();
        }
        try {
            vault.replace(stored.secretRef(), clientId, secret);
        } catch (RuntimeException e) {
            releaseQuietly(accepting, e);
            throw e;
        }
        Instant previousValidUntil = graceSeconds == 0 ? null
                : clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(graceSeconds);
        if (!clients.replace(accepting, accepting.completeRotation(hash, previousValidUntil))) {
            // deleted meanwhile, or our lease ran out and another rotation took over
            throw clients.find(clientId).isEmpty() ? KeywardException.keyNotFound() : rotationInProgress();
        }
        log.info("key_rotated", accountId, keyId);
        recordQuietly(accountId, AuditAction.ROTATED, keyId, caller);
        return new RotatedKey(new KeyWithSecret(stored.key(), secret), previousValidUntil);
    }

    /** Deletes the key for good: its Client ID is refused from the moment this returns. */
    public void delete(String accountId, String keyId, String caller) {
        AccountIds.require(accountId);
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        store.delete(accountId, keyId, clock.instant()).orElseThrow(KeywardException::keyNotFound);
        log.info("key_deleted", accountId, keyId);
        recordQuietly(accountId, AuditAction.DELETED, keyId, caller);
        destroyQuietly(accountId, keyId, null);
    }

    /** The account's audit trail, newest first. */
    public AuditPage audit(String accountId, Integer limit, String cursor) {
        AccountIds.require(accountId);
        int pageSize = pageSize(limit);
        String after = cursor == null ? null : Cursors.decodeAuditId(cursor);
        AuditTrail.Page page = audit.list(accountId, pageSize, after);
        return new AuditPage(page.events(), page.lastId() == null ? null : Cursors.encode(page.lastId()));
    }

    private static int pageSize(Integer limit) {
        int pageSize = limit == null ? DEFAULT_PAGE_SIZE : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new KeywardException(ErrorCode.INVALID_LIMIT,
                    "limit must be a whole number from 1 to " + MAX_PAGE_SIZE + ".");
        }
        return pageSize;
    }

    private StoredKey find(String accountId, String keyId) {
        AccountIds.require(accountId);
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        return store.find(accountId, keyId).orElseThrow(KeywardException::keyNotFound);
    }

    private AuditEvent event(String accountId, AuditAction action, String keyId, String caller) {
        return new AuditEvent(accountId, auditIds.get(), action, keyId,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), caller);
    }

    private void recordQuietly(String accountId, AuditAction action, String keyId, String caller) {
        try {
            audit.record(event(accountId, action, keyId, caller));
        } catch (RuntimeException e) {
            log.warn("audit_not_recorded", accountId, keyId, e);
        }
    }

    /** Frees a rotation's lease after the vault failed; if that fails too, the lease simply runs out. */
    private void releaseQuietly(ClientRecord accepting, RuntimeException primary) {
        try {
            clients.replace(accepting, accepting.releaseRotation());
        } catch (RuntimeException e) {
            primary.addSuppressed(e);
            log.warn("rotation_lease_kept", accepting.accountId(), accepting.keyId(), e);
        }
    }

    /** Destroys a secret that no key refers to any more; what fails here stays noted for the sweep. */
    private void destroyQuietly(String accountId, String keyId, RuntimeException primary) {
        try {
            vault.destroy(accountId, keyId);
            store.forgetSecret(accountId, keyId);
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

    private static KeywardException rotationInProgress() {
        return new KeywardException(ErrorCode.ROTATION_IN_PROGRESS,
                "Another rotation of this key is in progress; try again in a minute.");
    }

    /**
     * Destroys the secrets that belong to no key: what a create or a delete that failed half-way
     * left noted. A note younger than {@code minAge} is left alone, since a create still in flight
     * notes its secret before it saves its key.
     *
     * @return how many secrets were destroyed
     */
    public int sweepOrphanSecrets(Duration minAge) {
        int destroyed = 0;
        for (KeyStore.SecretNote note : store.secretNotes(clock.instant().minus(minAge))) {
            if (store.find(note.accountId(), note.keyId()).isEmpty()) {
                vault.destroy(note.accountId(), note.keyId());
                log.info("orphan_secret_swept", note.accountId(), note.keyId());
                destroyed++;
            }
            store.forgetSecret(note.accountId(), note.keyId());
        }
        return destroyed;
    }
}
